package dev.parley.server.web;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The names by which a browser reaches this server's web port, so that "the page's own origin" is
 * one of the server's, never one a request claims: with DNS rebinding a page of {@code
 * attacker.example}, whose name its owner has pointed at this server's address, sends {@code Host:
 * attacker.example:PORT} and a matching {@code Origin}, and a check built from the {@code Host}
 * header alone would let it in with the visitor's network position.
 *
 * <p>The names, fixed at start:
 *
 * <ul>
 *   <li>{@code --host} as given, and the address it stands for;
 *   <li>bound to a loopback address or the wildcard: {@code localhost}, {@code 127.0.0.1}, {@code
 *       [::1]};
 *   <li>bound to the wildcard: every address of the machine's network interfaces at start, and the
 *       machine's host name with and without {@code .local} (the name mDNS gives it on a LAN);
 *   <li>with {@code --web-tls}: the DNS names and addresses in the certificate, as loaded last.
 * </ul>
 *
 * Any other page needs {@code --web-origin}. Matching never resolves a name: it runs on the loop.
 * Immutable but for the certificate's names, which the supplier reads.
 */
public final class OwnNames {
  private final Set<String> fixed;
  private final Supplier<Collection<String>> certificate;

  OwnNames(Collection<String> fixed, Supplier<Collection<String>> certificate) {
    Set<String> names = new HashSet<>();
    for (String name : fixed) {
      names.add(normalised(name));
    }
    this.fixed = Collections.unmodifiableSet(names);
    this.certificate = certificate;
  }

  /**
   * The names of a server bound to {@code host} (as {@code --host} gives it), plus those {@code
   * certificate} names when the port speaks https. Resolves {@code host} and reads the network
   * interfaces: call it at start, not on the loop.
   */
  public static OwnNames of(String host, Supplier<Collection<String>> certificate)
      throws IOException {
    Set<String> names = new HashSet<>();
    names.add(host);
    InetAddress bound = InetAddress.getByName(host);
    names.add(literal(bound));
    if (bound.isLoopbackAddress() || bound.isAnyLocalAddress()) {
      names.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
    }
    if (bound.isAnyLocalAddress()) {
      for (NetworkInterface nic : Collections.list(interfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          names.add(literal(address));
        }
      }
      String machine = machineName();
      if (machine != null) {
        names.add(machine);
        if (!machine.contains(".")) {
          names.add(machine + ".local");
        }
      }
    }
    return new OwnNames(names, certificate);
  }

  private static Enumeration<NetworkInterface> interfaces() throws SocketException {
    Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
    return all != null ? all : Collections.emptyEnumeration();
  }

  private static String machineName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null; // no name for the machine: its addresses still count
    }
  }

  /**
   * Whether {@code authority}, a {@code Host} header's value ({@code name}, {@code name:port},
   * {@code [v6]:port}), names this server. The port is not compared: a port forward may change it,
   * and the name is what a rebinding attacker controls.
   */
  boolean contains(String authority) {
    String name = normalised(hostPart(authority));
    if (fixed.contains(name)) {
      return true;
    }
    for (String n : certificate.get()) {
      if (normalised(n).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The host of an authority: the part before the port; an IPv6 address with its brackets. */
  static String hostPart(String authority) {
    String a = authority.strip();
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end < 0 ? a : a.substring(0, end + 1);
    }
    int colon = a.lastIndexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  /**
   * One spelling per name: lower case, no final dot, an IPv6 address in brackets in the form of RFC
   * 5952 (which browsers send). Parses an IPv6 literal without any lookup; leaves a malformed one
   * as it is (it then matches nothing).
   */
  static String normalised(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    String bare = n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
    if (bare.contains(":")) {
      try {
        // With brackets, the JDK takes the text as an IPv6 literal or refuses it: no lookup.
        InetAddress address = InetAddress.getByName("[" + bare + "]");
        return literal(address);
      } catch (IOException | IllegalArgumentException e) {
        return n;
      }
    }
    return n;
  }

  /** An address as a browser writes it in a URL: IPv4 dotted, IPv6 bracketed (RFC 5952). */
  static String literal(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
    }
    // The first longest run of two or more zero groups becomes "::".
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 1 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.append(']').toString();
  }
}
