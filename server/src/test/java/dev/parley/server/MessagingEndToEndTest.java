package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Public and direct messages over real sockets: who gets what, in which order, with which seq. */
class MessagingEndToEndTest {
  private static final Pattern SENT_PM = Pattern.compile("C SENT PM ([1-9]\\d*) (\\d+)");

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started().overTls(overTls());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  @Test
  void aPublicMessageReachesAllFortyNineOthersWithOneSeqButNotItsSender() throws Exception {
    int count = 50;
    List<LineClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clients.add(server.connect("user" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<List<String>>> signIns = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        LineClient c = clients.get(i);
        String name = "user" + i;
        signIns.add(pool.submit(() -> c.signIn(name)));
      }
      for (Future<List<String>> f : signIns) {
        assertEquals(List.of(), f.get(10, TimeUnit.SECONDS), "history of an empty server");
      }
    } finally {
      pool.shutdownNow();
    }
    server.awaitUsersOnline(count);

    LineClient sender = clients.get(7);
    sender.send("C PM", "D hello everyone");
    // Every JOIN was queued before the PM was read, so only JOINs can come before the replies.
    assertEquals("C PROMPT TEXT", sender.nextMatching(line -> !line.startsWith("C JOIN ")));
    String sent = sender.next();
    Matcher m = SENT_PM.matcher(sent);
    assertTrue(m.matches(), "not a C SENT PM: " + sent);
    assertEquals("49", m.group(2), "recipients in " + sent);
    long seq = Long.parseLong(m.group(1));

    String expected = null;
    for (LineClient c : clients) {
      if (c == sender) {
        continue;
      }
      String line = c.nextMatching(l -> !l.startsWith("C JOIN "));
      Delivered d = Delivered.pm(line);
      assertEquals(seq, d.seq(), c.label() + " got " + line);
      assertEquals("user7", d.from());
      assertEquals("hello everyone", d.text());
      if (expected == null) {
        expected = line;
      }
      assertEquals(expected, line, c.label() + " got a different line");
    }
    // The sender's own D PM would come before the answer to this ping.
    sender.expectNothingElse();
  }

  @Test
  void pipelinedMessagesFromFiveSendersReachTenReceiversInOneOrderOfIncreasingSeq()
      throws Exception {
    int senders = 5;
    int receivers = 10;
    int perSender = 20;
    List<LineClient> senderClients = new ArrayList<>();
    List<LineClient> receiverClients = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      senderClients.add(server.signIn("s" + i));
    }
    for (int i = 0; i < receivers; i++) {
      receiverClients.add(server.signIn("r" + i));
    }
    server.awaitUsersOnline(senders + receivers);

    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        LineClient s = senderClients.get(i);
        String[] lines = new String[2 * perSender];
        for (int k = 0; k < perSender; k++) {
          lines[2 * k] = "C PM";
          lines[2 * k + 1] = "D " + s.label() + " message " + k;
        }
        sends.add(
            pool.submit(
                () -> {
                  go.await();
                  s.send(lines); // one write: twenty PMs pipelined
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : sends) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int total = senders * perSender;
    List<String> first = null;
    for (LineClient r : receiverClients) {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        got.add(r.nextMatching(line -> line.startsWith("D ")));
      }
      if (first == null) {
        first = got;
        List<Long> seqs = new ArrayList<>();
        List<Long> expectedSeqs = new ArrayList<>();
        for (String line : got) {
          seqs.add(Delivered.pm(line).seq());
          expectedSeqs.add((long) seqs.size());
        }
        assertEquals(expectedSeqs, seqs, "seq is 1, 2, 3, ... in the order received");
        for (LineClient s : senderClients) {
          List<String> texts = new ArrayList<>();
          List<String> expectedTexts = new ArrayList<>();
          for (String line : got) {
            Delivered d = Delivered.pm(line);
            if (d.from().equals(s.label())) {
              texts.add(d.text());
              expectedTexts.add(s.label() + " message " + (texts.size() - 1));
            }
          }
          assertEquals(expectedTexts, texts, "each sender's messages keep its order");
        }
      }
      assertEquals(first, got, r.label() + " saw another order than r0");
      r.expectNothingElse();
    }

    // Each sender sees everyone else's messages in the same order, and its own seqs in SENT.
    for (LineClient s : senderClients) {
      List<String> others = new ArrayList<>();
      List<Long> ownSeqs = new ArrayList<>();
      int sentCount = 0;
      while (sentCount < perSender || others.size() < total - perSender) {
        String line = s.next();
        if (line.startsWith("D ")) {
          others.add(line);
        } else if (line.startsWith("C SENT ")) {
          Matcher m = SENT_PM.matcher(line);
          assertTrue(m.matches(), line);
          assertEquals(String.valueOf(senders + receivers - 1), m.group(2), line);
          ownSeqs.add(Long.parseLong(m.group(1)));
          sentCount++;
        } else if (!line.equals("C PROMPT TEXT") && !line.startsWith("C JOIN ")) {
          throw new AssertionError(s.label() + " got an unexpected line: " + line);
        }
      }
      List<String> expectedOthers = new ArrayList<>();
      List<Long> expectedOwn = new ArrayList<>();
      for (String line : first) {
        Delivered d = Delivered.pm(line);
        if (d.from().equals(s.label())) {
          expectedOwn.add(d.seq());
        } else {
          expectedOthers.add(line);
        }
      }
      assertEquals(expectedOthers, others, s.label() + " saw another order");
      assertEquals(expectedOwn, ownSeqs, s.label() + " was told other seqs");
      s.expectNothingElse();
    }
  }

  @Test
  void aDirectMessageReachesOnlyItsRecipientAfterTheUsersListAndPrompts() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    LineClient carol = server.signInSeenBy("carol", alice, bob);

    alice.send("C DM");
    alice.expect("C USERS 3 alice bob carol", "C PROMPT RECIPIENT");
    alice.send("C bob");
    alice.expect("C PROMPT TEXT");
    alice.send("D hello bob, just you");
    alice.expect("C SENT DM 1 bob");

    Delivered d = Delivered.dm(bob.next());
    assertEquals(
        new Delivered("DM", 1, d.time(), "alice", "bob", "hello bob, just you"), d, "bob's DM");
    carol.expectNothingElse();
    alice.expectNothingElse();
    bob.expectNothingElse();
  }

  @Test
  void aDirectMessageRecipientIsFoundInAnyCaseAndShownAsSpelledAtSignIn() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("Bob", alice);

    alice.send("C DM", "C BOB", "D hi");
    alice.expect("C USERS 2 alice Bob", "C PROMPT RECIPIENT", "C PROMPT TEXT", "C SENT DM 1 Bob");
    Delivered d = Delivered.dm(bob.next());
    assertEquals("D DM 1 " + d.time() + " alice Bob hi", d.line());
  }

  @Test
  void aDirectMessageToSomeoneOfflineIsRefusedAtTheNameAndTheSessionIsBackInCommandMode()
      throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C DM");
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT");
    alice.send("C nobody");
    alice.expect("C ERR 404 nobody is not online");
    alice.send("C LIST");
    alice.expect("C USERS 2 alice bob");
    // Nothing half-done is kept: the DM is over, so a data line is out of place.
    alice.send("D for nobody");
    alice.expectStartsWith("C ERR 412 ");
    bob.expectNothingElse();
  }

  @Test
  void aDirectMessageWhoseRecipientLeftBeforeTheTextIsRefusedAndNotStored() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C DM", "C bob");
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT", "C PROMPT TEXT");
    bob.send("C EX");
    alice.expect("C LEAVE bob");
    alice.send("D too late");
    alice.expect("C ERR 404 bob is not online");
    alice.send("C CH");
    alice.expect("C HISTORY 0");
    // The refused DM used no seq: the next message is number 1.
    alice.send("C PM", "D first");
    alice.expect("C PROMPT TEXT", "C SENT PM 1 0");
  }

  @Test
  void aPingWhileAMessageIsPendingIsAnsweredAndLeavesTheMessagePending() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C PM");
    alice.expect("C PROMPT TEXT");
    alice.send("C PING tok");
    alice.expect("C PONG tok");
    alice.send("C PONG whatever"); // a PONG is honoured too: no answer, nothing cancelled
    alice.send("D still pending");
    alice.expect("C SENT PM 1 1");
    assertEquals("still pending", Delivered.pm(bob.next()).text());

    alice.send("C DM", "C PING mid-dm", "C bob", "C PING again", "D direct");
    alice.expect(
        "C USERS 2 alice bob",
        "C PROMPT RECIPIENT",
        "C PONG mid-dm",
        "C PROMPT TEXT",
        "C PONG again",
        "C SENT DM 2 bob");
    assertEquals("direct", Delivered.dm(bob.next()).text());
  }

  @Test
  void pipelinedCommandsInOneWriteAreAnsweredInOrder() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C PING a", "C LIST", "C PING b", "C PM", "D x", "C PING c", "C CH 1");
    alice.expect(
        "C PONG a",
        "C USERS 2 alice bob",
        "C PONG b",
        "C PROMPT TEXT",
        "C SENT PM 1 1",
        "C PONG c",
        "C HISTORY 1");
    String delivered = bob.next();
    assertEquals("x", Delivered.pm(delivered).text());
    alice.expect(delivered);
    alice.expectNothingElse();
  }

  @Test
  void crlfLineEndsWorkLikeLf() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.connect("bob");
    bob.expectStartsWith("C HELLO parley/1");

    bob.sendRaw("C NICK bob\r\nC PING x\r\n".getBytes(StandardCharsets.UTF_8));
    bob.expect("C READY bob 2", "C HISTORY 0", "C PONG x");
    alice.expect("C JOIN bob");
    bob.sendRaw(
        "C PM\r\nD crlf text\r\nC DM\r\nC alice\r\nD direct\r\n".getBytes(StandardCharsets.UTF_8));
    bob.expect(
        "C PROMPT TEXT",
        "C SENT PM 1 1",
        "C USERS 2 alice bob",
        "C PROMPT RECIPIENT",
        "C PROMPT TEXT",
        "C SENT DM 2 alice");
    Delivered pm = Delivered.pm(alice.next());
    assertEquals("crlf text", pm.text());
    Delivered dm = Delivered.dm(alice.next());
    assertEquals("direct", dm.text());
  }

  @Test
  void aNetcatStyleClientThatHalfClosesAfterItsLinesGetsEveryReply() throws Exception {
    NetcatScenario.halfClosesAfterItsLinesAndGetsEveryReply(server);
  }
}
