package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.store.InMemoryStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's limits over real sockets: one client at a limit never hurts the others. */
class LimitsEndToEndTest {
  private static final Pattern SENT_PM = Pattern.compile("C SENT PM ([1-9]\\d*) (\\d+)");

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedByEachTest().overTls(overTls()).overWebSocket(overWebSocket());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  /** True in the subclass that runs these tests over WebSocket on the web port. */
  boolean overWebSocket() {
    return false;
  }

  /** Defaults with these limits and no rate allowance, so floods reach the queues at once. */
  private static ServerConfig config(long maxQueueBytes, int maxClients) {
    return ServerUnderTest.defaults().toBuilder()
        .maxQueueBytes(maxQueueBytes)
        .maxClients(maxClients)
        .maxRate(0)
        .build();
  }

  @Test
  void aConnectionOverMaxClientsGetsOnly503AndIsClosedWhileTheOthersGoOn() throws Exception {
    server.start(config(ServerConfig.DEFAULT_MAX_QUEUE_BYTES, 2));
    LineClient first = server.connect("first");
    first.expectStartsWith("C HELLO ");
    LineClient second = server.connect("second");
    second.expectStartsWith("C HELLO ");

    LineClient third = server.connect("third");
    if (server.isPlainTcp()) {
      // Over TLS or WebSocket the refusal is a close without a handshake: the server is short of
      // CPU then, and plain bytes would not be a frame.
      third.expect("C ERR 503 server full");
    }
    third.expectClosed();

    first.nick("first");
    second.nick("second");
    first.expect("C JOIN second");
    first.send("C PM", "D still here");
    first.expect("C PROMPT TEXT", "C SENT PM 1 1");
    assertEquals("still here", Delivered.pm(second.next()).text());
    assertEquals(2, server.server().openConnections());

    // A seat that frees up can be taken again.
    second.send("C EX");
    second.expectStartsWith("C BYE ");
    server.awaitOpenConnections(1);
    LineClient fourth = server.connect("fourth");
    fourth.signIn("fourth");
  }

  @Test
  void aClientThatNeverReadsIsDroppedAsTooSlowWhileTheOthersGetEveryMessage() throws Exception {
    server.start(config(64 * 1024, 100));
    LineClient sender = server.signIn("sender");
    LineClient r1 = server.signIn("r1");
    LineClient r2 = server.signIn("r2");
    LineClient slow = server.connect("slow", 4096);
    slow.signIn("slow");
    slow.stopReading();
    server.awaitUsersOnline(4);

    String text = "x".repeat(300);
    int batch = 100;
    int maxBatches = 400; // 40,000 messages, 12 MB: far more than any socket buffers hold
    int sent = 0;
    for (int b = 0; b < maxBatches && server.server().usersOnline() == 4; b++) {
      String[] lines = new String[2 * batch];
      for (int i = 0; i < batch; i++) {
        lines[2 * i] = "C PM";
        lines[2 * i + 1] = "D " + (sent + i + 1) + " " + text;
      }
      sender.send(lines);
      for (int i = 0; i < batch; i++) {
        String sentLine = sender.nextMatching(line -> line.startsWith("C SENT "));
        Matcher m = SENT_PM.matcher(sentLine);
        assertTrue(m.matches(), sentLine);
        assertEquals(sent + i + 1, Long.parseLong(m.group(1)), "seq in " + sentLine);
        String recipients = m.group(2);
        assertTrue(recipients.equals("3") || recipients.equals("2"), sentLine);
      }
      sent += batch;
    }
    server.awaitUsersOnline(3);
    // And the others keep receiving after the drop.
    sender.send("C PM", "D after the drop");
    sent++;
    String lastSent = "C SENT PM " + sent + " 2";
    sender.nextMatching(line -> line.equals(lastSent));

    for (LineClient r : List.of(r1, r2)) {
      int leaves = 0;
      long expectedSeq = 1;
      while (expectedSeq <= sent) {
        String line = r.next();
        if (line.startsWith("C JOIN ")) {
          continue;
        }
        if (line.startsWith("C LEAVE ")) {
          assertEquals("C LEAVE slow too slow", line, r.label());
          leaves++;
          continue;
        }
        Delivered d = Delivered.pm(line);
        assertEquals(expectedSeq, d.seq(), r.label() + " missed a message");
        expectedSeq++;
      }
      assertEquals(1, leaves, r.label() + " saw the slow client leave once");
      assertEquals("after the drop", Delivered.pm(lastLine(r, sent)).text());
      r.expectNothingElse();
    }
  }

  @Test
  void oneConnectionFloodingGarbageDoesNotHurtTwoOthersChatting() throws Exception {
    server.start(config(ServerConfig.DEFAULT_MAX_QUEUE_BYTES, 100));
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    LineClient mallory = server.signInSeenBy("mallory", alice, bob);

    int garbage = 100_000;
    byte[] flood = "x\n".repeat(garbage).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> mallory.sendRaw(flood));

    int messages = 50;
    for (int i = 1; i <= messages; i++) {
      LineClient from = i % 2 == 0 ? alice : bob;
      LineClient to = i % 2 == 0 ? bob : alice;
      from.send("C PM", "D chat " + i);
      from.expect("C PROMPT TEXT", "C SENT PM " + i + " 2");
      Delivered d = Delivered.pm(to.next());
      assertEquals(i, d.seq());
      assertEquals("chat " + i, d.text());
    }
    flooding.get(30, TimeUnit.SECONDS);

    // The flooder is answered line by line, not dropped, and sees the chat in between.
    int errors = 0;
    List<Long> seen = new ArrayList<>();
    while (errors < garbage || seen.size() < messages) {
      String line = mallory.next();
      if (line.startsWith("C ERR 400 ")) {
        errors++;
      } else {
        seen.add(Delivered.pm(line).seq());
      }
    }
    assertEquals(garbage, errors);
    assertEquals(messages, seen.size());
    mallory.expectNothingElse();
    alice.expectNothingElse();
    bob.expectNothingElse();
    assertEquals(3, server.server().usersOnline());
  }

  @Test
  void aClientThatFloodsWithoutReadingIsPausedNotDroppedAndTheOthersGoOn() throws Exception {
    server.start(config(ServerConfig.DEFAULT_MAX_QUEUE_BYTES, 100));
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    LineClient mallory = server.signInSeenBy("mallory", alice, bob);
    mallory.stopReading();

    // 200,000 pings pipelined: their answers are far more than the queue limit.
    byte[] flood = "C PING\n".repeat(200_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CompletableFuture.runAsync(() -> mallory.sendRaw(flood)); // may block: the server stops reading

    for (int i = 1; i <= 20; i++) {
      alice.send("C PM", "D chat " + i);
      alice.expect("C PROMPT TEXT", "C SENT PM " + i + " 2");
      assertEquals("chat " + i, Delivered.pm(bob.next()).text());
    }
    bob.send("C LIST");
    bob.expect("C USERS 3 alice bob mallory");
    alice.expectNothingElse();
  }

  @Test
  void aClientTakingALongHistoryIsNotDroppedWhenMessagesArriveMeanwhile() throws Exception {
    // A thousand messages of 4 KB: the C CH 1000 answer (4 MB) is far more than the queue limit
    // and the kernel's buffers. Found by the soak test: a delivery that came while such an answer
    // was still queued counted the answer against the limit and dropped a client that reads.
    InMemoryStore store = new InMemoryStore();
    List<ChatMessage> old = new ArrayList<>();
    for (int seq = 1; seq <= 1000; seq++) {
      old.add(
          ChatMessage.publicMessage(seq, 1_700_000_000_000L, "old", seq + " " + "o".repeat(4000)));
    }
    store.append(old);
    server.start(store, Clock.systemUTC());
    LineClient alice = server.signIn("alice");
    try (Socket bob = server.socket(4096)) {
      bob.getOutputStream()
          .write("C NICK bob\nC CH 1000\nC PING done\n".getBytes(StandardCharsets.UTF_8));
      alice.expect("C JOIN bob");
      // While bob has not read his answer yet, a message and a notice arrive for him.
      alice.send("C PM", "D while bob reads");
      alice.expect("C PROMPT TEXT", "C SENT PM 1001 1");
      LineClient carol = server.signIn("carol");

      BufferedReader in =
          new BufferedReader(new InputStreamReader(bob.getInputStream(), StandardCharsets.UTF_8));
      bob.setSoTimeout(10_000);
      assertTrue(in.readLine().startsWith("C HELLO "));
      assertTrue(in.readLine().startsWith("C READY bob "));
      int joinHistory = Integer.parseInt(in.readLine().substring("C HISTORY ".length()));
      for (int i = 0; i < joinHistory; i++) {
        in.readLine();
      }
      assertEquals("C HISTORY 1000", in.readLine());
      for (int seq = 1; seq <= 1000; seq++) {
        String line = in.readLine();
        assertTrue(line != null, "closed after " + (seq - 1) + " history lines");
        assertEquals(seq, Delivered.pm(line).seq());
      }
      // The ping waited (reading stopped while the answer was queued); the deliveries did not.
      List<String> rest = new ArrayList<>(List.of(in.readLine(), in.readLine(), in.readLine()));
      assertTrue(rest.remove("C PONG done"), "rest: " + rest);
      assertEquals("while bob reads", Delivered.pm(rest.get(0)).text());
      assertEquals("C JOIN carol", rest.get(1));
      carol.expectNothingElse();
      assertEquals(3, server.server().usersOnline());
    }
  }

  private static String lastLine(LineClient r, int sent) {
    r.send("C CH 1");
    r.expect("C HISTORY 1");
    String line = r.next();
    assertEquals(sent, Delivered.pm(line).seq());
    return line;
  }
}
