package dev.parley.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.Delivered;
import dev.parley.server.LineClient;
import dev.parley.server.ServerUnderTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who sees what in {@code C CH} without accounts, on the SQLite store: everyone sees the public
 * messages; a DM only its two ends, and only on the connections that sent or received it; and no
 * account ever sees a DM that was sent before accounts were turned on.
 */
class HistoryVisibilityEndToEndTest {
  @TempDir Path dir;

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(
          () -> ServerUnderTest.defaults().withSqliteStore(dir).toBuilder().maxRate(0).build());

  @Test
  void aThirdUserNeverSeesADirectMessageBetweenTwoOthers() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signIn("bob");
    LineClient carol = server.signIn("carol");
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
    assertEquals(both, Delivered.withoutTimes(alice.chatHistory(1000)));
    assertEquals(both, Delivered.withoutTimes(bob.chatHistory(1000)));
    assertEquals(
        List.of("1 PM alice hello everyone", "4 PM carol hi"),
        Delivered.withoutTimes(carol.chatHistory(1000)));
    assertEquals(
        List.of("3 DM bob alice just for alice", "4 PM carol hi"),
        Delivered.withoutTimes(alice.chatHistory(2)));
  }

  @Test
  void withoutAccountsANewConnectionUnderTheSameNameDoesNotSeeEarlierDirectMessages()
      throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signIn("bob");
    alice.publicMessage("public");
    alice.directMessage("bob", "private");
    alice.send("C EX");
    alice.nextStartingWith("C BYE");
    bob.nextStartingWith("C LEAVE alice");

    LineClient again = server.signIn("alice");
    assertEquals(List.of("1 PM alice public"), Delivered.withoutTimes(again.chatHistory(1000)));
    assertEquals(
        List.of("1 PM alice public", "2 DM alice bob private"),
        Delivered.withoutTimes(bob.chatHistory(1000)));
  }

  @Test
  void afterARestartWithoutAccountsTheHistoryHoldsThePublicMessagesOnly() throws Exception {
    LineClient alice = server.signIn("alice");
    server.signIn("bob");
    alice.publicMessage("public");
    alice.directMessage("bob", "private");
    server.restart();
    LineClient bob = server.signIn("bob");
    assertEquals(List.of("1 PM alice public"), Delivered.withoutTimes(bob.chatHistory(1000)));
    assertEquals(3, bob.publicMessage("seq carries on"));
  }

  @Test
  void aDirectMessageSentWithoutAccountsIsNotShownToWhoeverRegistersTheNameLater()
      throws Exception {
    LineClient alice = server.signIn("alice");
    server.signIn("bob");
    alice.publicMessage("public");
    alice.directMessage("bob", "secret");
    server.stop();
    server.start(
        ServerUnderTest.defaults().withSqliteStore(dir).toBuilder()
            .maxRate(0)
            .accounts(true)
            .build());

    LineClient mallory = server.signIn("BOB", "mallory's password", "NEW");
    LineClient aliceAgain = server.signIn("alice", "alice's password", "NEW");
    aliceAgain.directMessage("bob", "with accounts");
    assertEquals(
        List.of("1 PM alice public", "3 DM alice BOB with accounts"),
        Delivered.withoutTimes(mallory.chatHistory(1000)));
    assertEquals(
        List.of("1 PM alice public", "3 DM alice BOB with accounts"),
        Delivered.withoutTimes(aliceAgain.chatHistory(1000)));
  }
}
