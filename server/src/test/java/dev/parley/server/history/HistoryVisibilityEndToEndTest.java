package dev.parley.server.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who sees what in {@code C CH} without accounts, on the SQLite store: everyone sees the public
 * messages; a DM only its two ends, and only on the connections that sent or received it.
 */
class HistoryVisibilityEndToEndTest {
  @TempDir Path dir;

  private ChatServer server;
  private final List<WireClient> clients = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = ChatServer.start(config());
  }

  private ServerConfig config() {
    return ServerConfig.defaults().toBuilder()
        .host("127.0.0.1")
        .port(0)
        .store(ServerConfig.StoreKind.SQLITE)
        .dataDir(dir)
        .maxRate(0)
        .build();
  }

  @AfterEach
  void stopServer() throws Exception {
    for (WireClient c : clients) {
      c.close();
    }
    server.close();
  }

  private WireClient signIn(String name) throws Exception {
    WireClient c = WireClient.signedIn(server.port(), name);
    clients.add(c);
    return c;
  }

  /** "seq kind from [to] text" of each history line, without the time. */
  private static List<String> withoutTimes(List<String> lines) {
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      String[] w = line.split(" ", 5); // D kind seq time rest
      result.add(w[2] + " " + w[1] + " " + w[4]);
    }
    return result;
  }

  @Test
  void aThirdUserNeverSeesADirectMessageBetweenTwoOthers() throws Exception {
    WireClient alice = signIn("alice");
    WireClient bob = signIn("bob");
    WireClient carol = signIn("carol");
    alice.publicMessage("hello everyone");
    alice.directMessage("bob", "just for bob");
    bob.directMessage("ALICE", "just for alice");
    carol.publicMessage("hi");

    List<String> both =
        List.of(
            "1 PM alice hello everyone",
            "2 DM alice bob just for bob",
            "3 DM bob alice just for alice",
            "4 PM carol hi");
    assertEquals(both, withoutTimes(alice.history(1000)));
    assertEquals(both, withoutTimes(bob.history(1000)));
    assertEquals(
        List.of("1 PM alice hello everyone", "4 PM carol hi"), withoutTimes(carol.history(1000)));
    assertEquals(
        List.of("3 DM bob alice just for alice", "4 PM carol hi"), withoutTimes(alice.history(2)));
  }

  @Test
  void withoutAccountsANewConnectionUnderTheSameNameDoesNotSeeEarlierDirectMessages()
      throws Exception {
    WireClient alice = signIn("alice");
    WireClient bob = signIn("bob");
    alice.publicMessage("public");
    alice.directMessage("bob", "private");
    alice.send("C EX");
    alice.nextStartingWith("C BYE");
    bob.nextStartingWith("C LEAVE alice");

    WireClient again = signIn("alice");
    assertEquals(List.of("1 PM alice public"), withoutTimes(again.history(1000)));
    assertEquals(
        List.of("1 PM alice public", "2 DM alice bob private"), withoutTimes(bob.history(1000)));
  }

  @Test
  void afterARestartWithoutAccountsTheHistoryHoldsThePublicMessagesOnly() throws Exception {
    WireClient alice = signIn("alice");
    signIn("bob");
    alice.publicMessage("public");
    alice.directMessage("bob", "private");
    server.close();
    for (WireClient c : clients) {
      c.close();
    }
    clients.clear();

    server = ChatServer.start(config());
    WireClient bob = signIn("bob");
    assertEquals(List.of("1 PM alice public"), withoutTimes(bob.history(1000)));
    assertEquals(3, bob.publicMessage("seq carries on"));
  }
}
