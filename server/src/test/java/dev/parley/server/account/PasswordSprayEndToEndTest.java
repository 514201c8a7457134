package dev.parley.server.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.LineClient;
import dev.parley.server.ServerUnderTest;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password spray: one guess per name, each from another address (127.0.0.0/8 is all loopback on
 * Linux), so that no name and no address ever sees more than one failure. The server-wide bound on
 * failed sign-ins per minute stops it; a name that signed in from its address before still gets in.
 */
class PasswordSprayEndToEndTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final int BOUND = 3;

  @TempDir Path dir;

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(
          () ->
              ServerUnderTest.defaults().withSqliteStore(dir).toBuilder()
                  .accounts(true)
                  .maxRate(0)
                  .maxFailedSignInsPerMinute(BOUND)
                  .build());

  private static InetAddress loopback(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }

  /** Signs in as {@code name} from {@code from} and leaves; returns the answer to C PASS. */
  private String signIn(String name, String password, int from) throws Exception {
    LineClient c = server.connectFrom(name + "@" + from, loopback(from));
    c.expectStartsWith("C HELLO parley/1");
    c.send("C NICK " + name);
    String asked = c.nextMatching(l -> l.startsWith("C PASSWORD ") || l.startsWith("C RETRY "));
    if (asked.startsWith("C RETRY ")) {
      c.close();
      return asked;
    }
    c.send("C PASS " + password);
    String answer = c.nextMatching(l -> l.startsWith("C READY ") || l.startsWith("C RETRY "));
    c.close();
    return answer;
  }

  @Test
  void aSprayFromManyAddressesMeetsTheServerWideBoundAndRegularsStillGetIn() throws Exception {
    for (String name : new String[] {"alice", "bob", "carol", "dave", "erin", "frank"}) {
      assertEquals("C READY " + name + " 1", signIn(name, PASSWORD, 1));
      server.awaitUsersOnline(0);
    }

    // alice signs in to her account from 127.0.0.1: a regular of that address from now on.
    assertEquals("C READY alice 1", signIn("alice", PASSWORD, 1));
    server.awaitUsersOnline(0);

    // One wrong guess per name, each from its own address: no name or address is locked.
    int address = 10;
    for (String name : new String[] {"bob", "carol", "dave"}) {
      assertEquals("C RETRY 401 wrong password", signIn(name, "guess", address++));
    }

    // The bound is reached: a right password from an address the name never used is not checked,
    // nor a wrong one, and the refusal comes at C NICK.
    String limited =
        "C RETRY 429 too many failed sign-ins on this server just now; try again in a minute";
    assertEquals(limited, signIn("erin", PASSWORD, address++));
    assertEquals(limited, signIn("frank", "guess", address++));

    // A name that signed in from its address before still does.
    assertEquals("C READY alice 1", signIn("alice", PASSWORD, 1));
  }
}
