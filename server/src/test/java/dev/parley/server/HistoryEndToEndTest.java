package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** History at sign-in and {@code C CH}, without accounts, over real sockets. */
class HistoryEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started();

  @Test
  void aUserSigningInAfterTwentyFiveMessagesGetsTheLastTwentyInSeqOrder() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    List<String> sent = sendPublic(alice, bob, 25);

    LineClient carol = server.connect("carol");
    List<String> history = carol.signIn("carol");
    assertEquals(sent.subList(5, 25), history);
    assertEquals(6, Delivered.pm(history.get(0)).seq());
    assertEquals(25, Delivered.pm(history.get(19)).seq());

    carol.send("C CH 5");
    assertEquals(sent.subList(20, 25), carol.history());
    carol.send("C CH");
    assertEquals(sent.subList(5, 25), carol.history(), "C CH defaults to 20");
    carol.send("C CH 0");
    carol.expect("C HISTORY 0");
    carol.send("C CH 5000");
    assertEquals(sent, carol.history(), "more than there is gives all there is");
    carol.send("C CH lots");
    carol.expectStartsWith("C ERR 400 ");
  }

  @Test
  void chatHistoryShowsPublicMessagesAndOnlyThisConnectionsOwnDirectMessages() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    LineClient carol = server.signInSeenBy("carol", alice, bob);

    alice.send("C DM", "C bob", "D alice to bob");
    alice.expect("C USERS 3 alice bob carol", "C PROMPT RECIPIENT", "C PROMPT TEXT");
    alice.expect("C SENT DM 1 bob");
    String aliceToBob = bob.next();
    bob.send("C DM", "C carol", "D bob to carol");
    bob.expect("C USERS 3 alice bob carol", "C PROMPT RECIPIENT", "C PROMPT TEXT");
    bob.expect("C SENT DM 2 carol");
    String bobToCarol = carol.next();
    carol.send("C PM", "D carol to all");
    carol.expect("C PROMPT TEXT", "C SENT PM 3 2");
    String publicOne = alice.next();
    assertEquals(publicOne, bob.next());
    assertEquals("D DM 1", aliceToBob.substring(0, 6));
    assertEquals("D DM 2", bobToCarol.substring(0, 6));

    alice.send("C CH");
    assertEquals(List.of(aliceToBob, publicOne), alice.history());
    bob.send("C CH");
    assertEquals(List.of(aliceToBob, bobToCarol, publicOne), bob.history());
    carol.send("C CH");
    assertEquals(List.of(bobToCarol, publicOne), carol.history());
    carol.send("C CH 1");
    assertEquals(List.of(publicOne), carol.history());

    // Without accounts a name is owned by nobody: a new alice does not get the old one's DMs.
    alice.send("C EX");
    alice.expectStartsWith("C BYE ");
    server.awaitUsersOnline(2);
    LineClient alice2 = server.connect("alice2");
    assertEquals(List.of(publicOne), alice2.signIn("alice"), "sign-in history has no DMs");
    alice2.send("C CH");
    assertEquals(List.of(publicOne), alice2.history());
  }

  @Test
  void aHistoryRequestPipelinedRightAfterAMessageIncludesIt() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C PM", "D one", "C CH", "C DM", "C bob", "D to bob", "C CH");
    String one = bob.next();
    String toBob = bob.next();
    assertEquals("one", Delivered.pm(one).text());
    assertEquals("D DM 2 " + Delivered.dm(toBob).time() + " alice bob to bob", toBob);

    alice.expect("C PROMPT TEXT", "C SENT PM 1 1", "C HISTORY 1", one);
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT", "C PROMPT TEXT", "C SENT DM 2 bob");
    assertEquals(List.of(one, toBob), alice.history());
  }

  @Test
  void aLongHistoryLargerThanTheQueueLimitIsAnsweredNotDropped() throws Exception {
    server.stop();
    server.start(ServerUnderTest.defaults().toBuilder().maxRate(0).build());
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    String text = "x".repeat(4000);
    for (int batch = 0; batch < 6; batch++) {
      String[] lines = new String[100];
      for (int i = 0; i < 50; i++) {
        lines[2 * i] = "C PM";
        lines[2 * i + 1] = "D " + text;
      }
      alice.send(lines);
      for (int i = 1; i <= 50; i++) {
        alice.expect("C PROMPT TEXT", "C SENT PM " + (batch * 50 + i) + " 1");
        bob.next();
      }
    }

    // 300 lines of about 4 KB are more than the 1 MiB queue limit: an answer, not a slow reader.
    bob.send("C CH 300");
    List<String> history = bob.history();
    assertEquals(300, history.size());
    assertEquals(300, Delivered.pm(history.get(299)).seq());
    bob.send("C PING still-here");
    bob.expect("C PONG still-here");
  }

  /** Has {@code from} send {@code n} PMs and returns them as {@code to} received them. */
  private static List<String> sendPublic(LineClient from, LineClient to, int n) {
    String[] lines = new String[2 * n];
    for (int i = 0; i < n; i++) {
      lines[2 * i] = "C PM";
      lines[2 * i + 1] = "D message " + (i + 1);
    }
    from.send(lines);
    List<String> received = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      from.expect("C PROMPT TEXT", "C SENT PM " + (i + 1) + " 1");
      String line = to.next();
      Delivered d = Delivered.pm(line);
      assertEquals(i + 1, d.seq());
      assertEquals("message " + (i + 1), d.text());
      received.add(line);
    }
    return received;
  }
}
