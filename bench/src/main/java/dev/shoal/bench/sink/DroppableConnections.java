package dev.shoal.bench.sink;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * The client connections of one side of the sink, relayed byte for byte to the sink's HTTP server
 * behind them on loopback, so that the sink can drop any one of them ({@link SinkMode.Kind#DROP}).
 *
 * <p>Why a relay: Pekko HTTP gives a request handler no hold on its connection. An HTTP/1.1
 * connection can be cut by failing the response's entity stream, but on HTTP/2 (gRPC) that only
 * resets the one stream, which a gRPC client reports as {@code UNKNOWN}, not as a lost connection;
 * and {@code connectionSource()}/{@code bindFlow}, which hand out connections, do not serve HTTP/2.
 * The relay owns the client's TCP connection, so a kill switch there cuts it for either protocol.
 *
 * <p>The handler finds its connection by the request's remote address: the server behind sees the
 * relay's end of the inner connection, a port of its own per client connection. That server must
 * therefore be bound with the remote-address attribute on.
 */
final class DroppableConnections {
  /** As many connections as Pekko HTTP's server takes by default. */
  private static final int MAX_CONNECTIONS = 1024;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** A relay files its connection as it connects, long before a request can come through it. */
  private static final Duration FILING_WAIT = Duration.ofSeconds(5);

  private final Tcp tcp;
  private final Materializer mat;

  /**
   * Kill switches by the address the server behind sees. Futures, because a request may name its
   * connection before the relay has filed the switch.
   */
  private final Map<InetSocketAddress, CompletableFuture<UniqueKillSwitch>> relayed =
      new ConcurrentHashMap<>();

  DroppableConnections(ClassicActorSystemProvider system) {
    this.tcp = Tcp.get(system.classicSystem());
    this.mat = Materializer.matFromSystem(system);
  }

  /**
   * Listens on {@code host:port} (0: a free port) and relays every connection to {@code server}.
   * Completes once listening, or fails with the reason.
   */
  CompletionStage<Tcp.ServerBinding> listen(String host, int port, InetSocketAddress server) {
    return tcp.bind(host, port)
        // A connection that ends in a failure (the client's reset, a drop) ends only itself.
        .mapAsyncUnordered(
            MAX_CONNECTIONS, client -> relay(client, server).handle((done, failure) -> Done.done()))
        .to(Sink.ignore())
        .run(mat);
  }

  /** Relays one connection; completes when it has ended. */
  private CompletionStage<Done> relay(Tcp.IncomingConnection client, InetSocketAddress server) {
    Flow<
            ByteString,
            ByteString,
            Pair<
                Pair<UniqueKillSwitch, CompletionStage<Tcp.OutgoingConnection>>,
                CompletionStage<Done>>>
        toServer =
            BidiFlow.fromGraph(KillSwitches.<ByteString, ByteString>singleBidi())
                .join(
                    tcp.outgoingConnection(
                        server,
                        Optional.empty(),
                        List.of(),
                        false,
                        Optional.of(CONNECT_TIMEOUT),
                        Optional.empty()),
                    Keep.both())
                .watchTermination(Keep.both());
    var materialized = client.handleWith(toServer, mat);
    UniqueKillSwitch killSwitch = materialized.first().first();
    CompletionStage<Tcp.OutgoingConnection> connected = materialized.first().second();
    connected.thenAccept(
        inner ->
            relayed
                .computeIfAbsent(inner.localAddress(), a -> new CompletableFuture<>())
                .complete(killSwitch));
    CompletionStage<Done> ended = materialized.second();
    ended.whenComplete(
        (done, failure) -> connected.thenAccept(inner -> relayed.remove(inner.localAddress())));
    return ended;
  }

  /**
   * The kill switch of a relayed connection, once filed. A request that names a connection not
   * filed (yet) waits for it a while; one that ended in between is not filed again, and its
   * placeholder is removed then, lest a later connection from the same port be cut for it.
   */
  private CompletableFuture<UniqueKillSwitch> switchOf(InetSocketAddress relayEnd) {
    return relayed.computeIfAbsent(
        relayEnd,
        address -> {
          CompletableFuture<UniqueKillSwitch> filed = new CompletableFuture<>();
          filed
              .orTimeout(FILING_WAIT.toMillis(), TimeUnit.MILLISECONDS)
              .whenComplete(
                  (killSwitch, timedOut) -> {
                    if (timedOut != null) relayed.remove(address, filed);
                  });
          return filed;
        });
  }

  /**
   * Cuts the client connection that carried {@code request}, without a word to the client: the
   * relay aborts both its ends (a TCP reset), and with them every other request on the connection.
   */
  void drop(HttpRequest request) {
    InetSocketAddress relayEnd =
        request
            .getAttribute(AttributeKeys.remoteAddress)
            .flatMap(DroppableConnections::socketAddress)
            .orElseThrow(
                () -> new IllegalStateException("the request does not say which connection it is"));
    switchOf(relayEnd).thenAccept(killSwitch -> killSwitch.abort(new ConnectionDropped()));
  }

  private static Optional<InetSocketAddress> socketAddress(RemoteAddress remote) {
    return remote.getAddress().map(address -> new InetSocketAddress(address, remote.getPort()));
  }

  /** Why the relay aborted a connection. */
  static final class ConnectionDropped extends RuntimeException {
    ConnectionDropped() {
      super("connection dropped by the sink (mode drop)", null, false, false);
    }
  }
}
