package dev.shoal.node;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/HTTP backend on 127.0.0.1 for node tests: answers every POST with 200 and an empty export
 * response (valid protobuf), and records the value of one request header and the body of each
 * request. It can go down (nothing listens on its port) and come back on the same port.
 */
final class HeaderRecordingBackend implements AutoCloseable {
  private final String header;
  private final int port;
  private final List<String> values = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private HttpServer server;

  HeaderRecordingBackend(String header) throws IOException {
    this.header = header;
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  private HttpServer bind(int wanted) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 16);
    s.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            bodies.add(body.readAllBytes());
          }
          String value = exchange.getRequestHeaders().getFirst(header);
          values.add(value == null ? "" : value);
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    s.start();
    return s;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The header's value of every request so far, in order ("" when absent). */
  List<String> values() {
    return List.copyOf(values);
  }

  /** The body of every request so far, in order, as received (compressed if it was). */
  List<byte[]> bodies() {
    return List.copyOf(bodies);
  }

  synchronized void down() {
    if (server != null) server.stop(0);
    server = null;
  }

  /** Listens again on the same port; retries a few times while the port is still being freed. */
  synchronized void up() throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        server = bind(port);
        return;
      } catch (BindException e) {
        if (attempt >= 20) throw e;
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }
  }

  @Override
  public void close() {
    down();
  }
}
