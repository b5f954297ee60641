package dev.shoal.pipeline.enrich;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One spelling per IP address, so that a pod's IP from the API, an IP a sender put into {@code
 * k8s.pod.ip} and a connection's peer address compare equal: IPv4 as dotted quad, IPv6 as Java
 * writes it ({@code 0:0:0:0:0:0:0:1}, not {@code ::1}).
 */
final class IpAddresses {
  private IpAddresses() {}

  /** The address in the one spelling; null for null or empty; unchanged when it is no IP. */
  static String normalize(String ip) {
    if (ip == null || ip.isEmpty()) return null;
    if (ip.indexOf(':') < 0) return ip; // IPv4 (or no IP at all): compared as written
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
      boolean literal = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
      if (!literal) return ip; // never a host name lookup
    }
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return ip;
    }
  }

  /** A connection's peer address in the one spelling. */
  static String of(InetAddress address) {
    if (address == null) return null;
    String text = address.getHostAddress();
    // A scope (%eth0) is the receiver's, not part of the pod's address.
    if (address instanceof Inet6Address) {
      int scope = text.indexOf('%');
      if (scope >= 0) text = text.substring(0, scope);
    }
    return text;
  }
}
