package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contract section 8: a malformed line is 400 in every state, whatever keyword it starts with, and
 * is never taken for a line that does not fit the state (412). Each malformed form of each keyword
 * is sent in each state a client can be in while it sends: before sign-in, at the password step,
 * signed in, at a DM's recipient step and at a message's text step.
 */
class MalformedLinesEndToEndTest {
  private static final String PASSWORD = "correct horse battery staple";

  /** One malformed form of every client keyword, and lines with no keyword at all. */
  private static final List<String> MALFORMED =
      List.of(
          "C NICK  alice", // two spaces: an empty word
          "C NICK alice  bob",
          "C  NICK alice",
          "C PM now",
          "C PM  now",
          "C DM bob",
          "C LIST all",
          "C CH five",
          "C CH  5",
          "C CH SINCE",
          "C CH SINCE x",
          "C CH SINCE  5",
          "C CH SINCE 5 many",
          "C SEQ 5",
          "C EX now",
          "C EX  now",
          "C foo bar",
          "C",
          "C ",
          "X hello",
          "c NICK alice");

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(() -> ServerUnderTest.defaults().withAccounts(true));

  /** Sends every malformed line after {@code enterState} and expects 400 each time. */
  private static void eachMalformedLineIs400(LineClient c, Runnable enterState) {
    List<String> wrong = new ArrayList<>();
    for (String line : MALFORMED) {
      enterState.run();
      c.send(line);
      String answer = c.next();
      if (!answer.startsWith("C ERR 400 ")) {
        wrong.add("'" + line + "' got " + answer);
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void beforeSignIn() throws Exception {
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    eachMalformedLineIs400(c, () -> {});
  }

  @Test
  void atThePasswordStep() throws Exception {
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    eachMalformedLineIs400(
        c,
        () -> {
          c.send("C NICK carol");
          c.expect("C PASSWORD NEW");
        });
  }

  @Test
  void signedIn() throws Exception {
    LineClient alice = server.signIn("alice", PASSWORD, "NEW");
    eachMalformedLineIs400(alice, () -> {});
  }

  @Test
  void atTheRecipientStep() throws Exception {
    LineClient alice = server.signIn("alice", PASSWORD, "NEW");
    eachMalformedLineIs400(
        alice,
        () -> {
          alice.send("C DM");
          alice.expect("C USERS 1 alice", "C PROMPT RECIPIENT");
        });
  }

  @Test
  void atTheTextStep() throws Exception {
    LineClient alice = server.signIn("alice", PASSWORD, "NEW");
    eachMalformedLineIs400(
        alice,
        () -> {
          alice.send("C PM");
          alice.expect("C PROMPT TEXT");
        });
  }
}
