package dev.shoal.pipeline.output.otlp;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * A TCP relay on 127.0.0.1 in front of a test server, which can cut every connection it carries at
 * once: the client sees the connection reset while its request is in flight, as when a backend
 * crashes. It relays bytes only, so TLS passes through to the server untouched. It can also refuse
 * connections for a while, closing each new one at once, as if the server were down.
 */
final class ConnectionDropper implements AutoCloseable {
  private final Set<SharedKillSwitch> open = ConcurrentHashMap.newKeySet();
  private final Tcp.ServerBinding binding;
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean refusing;

  ConnectionDropper(ActorSystem<?> system, int serverPort) {
    Materializer mat = Materializer.matFromSystem(system);
    Tcp tcp = Tcp.get(system);
    binding =
        tcp.bind("127.0.0.1", 0)
            .to(
                Sink.foreach(
                    connection -> {
                      if (refusing) {
                        refused.incrementAndGet();
                        connection.handleWith(
                            Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), mat);
                        return;
                      }
                      SharedKillSwitch cut = KillSwitches.shared("relay");
                      open.add(cut);
                      connection.handleWith(
                          Flow.of(ByteString.class)
                              .via(cut.flow())
                              .via(tcp.outgoingConnection("127.0.0.1", serverPort))
                              .via(cut.flow())
                              .watchTermination(
                                  (notUsed, done) -> {
                                    done.whenComplete((d, e) -> open.remove(cut));
                                    return notUsed;
                                  }),
                          mat);
                    }))
            .run(mat)
            .toCompletableFuture()
            .join();
  }

  int port() {
    return binding.localAddress().getPort();
  }

  void refuseConnections(boolean refuse) {
    refusing = refuse;
  }

  int refusedConnections() {
    return refused.get();
  }

  /** Resets every connection open now; new ones are relayed as before. */
  void dropAll() {
    for (SharedKillSwitch cut : open) cut.abort(new IOException("connection dropped by the test"));
  }

  @Override
  public void close() {
    binding
        .unbind()
        .toCompletableFuture()
        .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
        .join();
    dropAll();
  }
}
