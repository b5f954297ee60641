package dev.shoal.pipeline.receiver;

import java.net.InetAddress;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The address of the client connection a request came on, as Pekko HTTP records it on each request
 * (the receivers turn {@code remote-address-attribute} on). It is the sender itself, or the last
 * proxy on the way: forwarded-for headers are not read, since any client can write them.
 */
final class PeerAddress {
  private PeerAddress() {}

  /** The connection's peer IP address, or null when not known. */
  static InetAddress of(HttpRequest request) {
    return request
        .getAttribute(AttributeKeys.remoteAddress)
        .flatMap(remote -> remote.getAddress())
        .orElse(null);
  }
}
