package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Host names count as the server's own, for the page's own origin (DNS rebinding). */
class OwnNamesTest {

  @Test
  void boundToLoopbackTheNamesAreTheAddressAndTheLoopbackNames() throws Exception {
    OwnNames names = OwnNames.of("127.0.0.1", List::of);
    for (String host :
        List.of("127.0.0.1:8080", "localhost:1", "LOCALHOST", "[::1]:5", "localhost.")) {
      assertTrue(names.contains(host), host);
    }
    for (String host :
        List.of("attacker.example:8080", "10.0.0.1", "127.0.0.2", "localhost.evil")) {
      assertFalse(names.contains(host), host);
    }
  }

  @Test
  void boundToTheWildcardTheMachinesAddressesCountToo() throws Exception {
    OwnNames names = OwnNames.of("0.0.0.0", List::of);
    assertTrue(names.contains("localhost:8080"));
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        String literal = OwnNames.literal(address);
        assertTrue(names.contains(literal + ":8080"), literal);
      }
    }
    assertFalse(names.contains("attacker.example:8080"));
  }

  @Test
  void boundToOneOtherAddressLoopbackNamesDoNotCountButTheCertificatesDo() {
    OwnNames names = new OwnNames(List.of("192.0.2.7"), () -> List.of("chat.example.org"));
    assertTrue(names.contains("192.0.2.7:8443"));
    assertTrue(names.contains("Chat.Example.Org:443"));
    assertFalse(names.contains("localhost:8443"));
  }

  @Test
  void addressesAreSpelledAsBrowsersSpellThem() throws Exception {
    assertEquals("[::1]", OwnNames.normalised("[0:0:0:0:0:0:0:1]"));
    assertEquals("[fe80::1:0:0:2]", OwnNames.literal(InetAddress.getByName("fe80:0:0:0:1:0:0:2")));
    assertEquals("[1:0:0:2::3]", OwnNames.literal(InetAddress.getByName("1:0:0:2:0:0:0:3")));
    assertEquals("[::]", OwnNames.literal(InetAddress.getByName("::")));
    assertEquals("[::1]", OwnNames.hostPart("[::1]:8080"));
    assertEquals("chat.example.org", OwnNames.hostPart("chat.example.org:8080"));
    assertEquals("[not an address]", OwnNames.normalised("[not an address]"));
  }
}
