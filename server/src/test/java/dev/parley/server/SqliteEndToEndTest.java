package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server with its default, durable store: SQLite in a folder, written on a store thread, so
 * every {@code C SENT} waits for another thread. Over real sockets.
 */
class SqliteEndToEndTest {
  @TempDir Path dataDir;

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(() -> ServerUnderTest.defaults().withSqliteStore(dataDir));

  @Test
  void pipelinedRepliesKeepTheirOrderWhileMessagesWaitForTheStore() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C PING a", "C PM", "D one", "C PING b", "C PM", "D two", "C LIST", "C CH 2");
    alice.expect(
        "C PONG a",
        "C PROMPT TEXT",
        "C SENT PM 1 1",
        "C PONG b",
        "C PROMPT TEXT",
        "C SENT PM 2 1",
        "C USERS 2 alice bob",
        "C HISTORY 2");
    String one = bob.next();
    String two = bob.next();
    alice.expect(one, two);
    assertEquals("two", Delivered.pm(two).text());
  }

  @Test
  void aRestartKeepsTheSeqAndTheConfirmedMessages() throws Exception {
    LineClient alice = server.signIn("alice");
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      alice.send("C PM", "D before restart " + i);
      alice.expect("C PROMPT TEXT", "C SENT PM " + i + " 0");
      alice.send("C CH 1");
      alice.expect("C HISTORY 1");
      sent.add(alice.next());
    }
    server.restart();
    LineClient bob = server.connect("bob");
    assertEquals(sent, bob.signIn("bob"));
    bob.send("C PM", "D after restart");
    bob.expect("C PROMPT TEXT", "C SENT PM 4 0");
  }

  @Test
  void aNetcatStyleClientThatHalfClosesStillGetsTheConfirmationOfItsMessage() throws Exception {
    NetcatScenario.halfClosesAfterItsLinesAndGetsEveryReply(server);
  }
}
