package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in with password accounts, over real sockets. Every password check is a real PBKDF2 hash of
 * a few hundred milliseconds, so these tests check few passwords.
 */
class AccountsEndToEndTest {
  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(() -> ServerUnderTest.defaults().withAccounts(true));

  /** Connects, asks for {@code name} and expects the server to ask for a password of this kind. */
  private LineClient askFor(String label, String name, String kind) throws Exception {
    LineClient c = server.connect(label);
    c.expectStartsWith("C HELLO parley/1 ");
    c.send("C NICK " + name);
    c.expect("C PASSWORD " + kind);
    return c;
  }

  /** Registers {@code name} as its first user and leaves, so that nobody is online. */
  private void register(String label, String name, String password) throws Exception {
    LineClient c = askFor(label, name, "NEW");
    c.send("C PASS " + password);
    c.expect("C READY " + name + " 1", "C HISTORY 0");
    c.send("C EX");
    c.expectStartsWith("C BYE ");
    server.awaitUsersOnline(0);
  }

  @Test
  void aNewNameRegistersAndLaterSignInsNeedItsPasswordAndShowItsSpelling() throws Exception {
    register("first", "Alice", "correct horse battery");

    LineClient second = askFor("second", "alice", "EXISTING");
    second.send("C PASS wrong");
    second.expect("C RETRY 401 wrong password");
    second.send("C NICK ALICE");
    second.expect("C PASSWORD EXISTING");
    second.send("C PASS correct horse battery"); // the rest of the line, spaces included
    second.expect("C READY Alice 1", "C HISTORY 0");

    // Online in any case means taken, before any password is asked.
    LineClient third = server.connect("third");
    third.expectStartsWith("C HELLO ");
    third.send("C NICK aLiCe");
    third.expectStartsWith("C RETRY 409 ");
  }

  @Test
  void aLineOtherThanPassWhenAPasswordIsAskedGets412AndSignInStartsAgain() throws Exception {
    LineClient c = askFor("c", "bob", "NEW");
    c.send("C LIST");
    c.expectStartsWith("C ERR 412 ");
    c.send("C PASS too late");
    c.expectStartsWith("C ERR 412 ");
    c.send("C NICK bob");
    c.expect("C PASSWORD NEW");
  }

  @Test
  void chatHistoryWithAccountsHasTheAccountsDirectMessagesFromEarlierConnections()
      throws Exception {
    LineClient alice = askFor("alice", "alice", "NEW");
    alice.send("C PASS a-secret");
    alice.expect("C READY alice 1", "C HISTORY 0");
    LineClient bob = askFor("bob", "bob", "NEW");
    bob.send("C PASS b-secret");
    bob.expect("C READY bob 2", "C HISTORY 0");
    alice.expect("C JOIN bob");

    alice.send("C DM", "C bob", "D kept for us", "C PM", "D for everyone");
    alice.expect(
        "C USERS 2 alice bob",
        "C PROMPT RECIPIENT",
        "C PROMPT TEXT",
        "C SENT DM 1 bob",
        "C PROMPT TEXT",
        "C SENT PM 2 1");
    String dm = bob.next();
    String pm = bob.next();
    assertEquals("kept for us", Delivered.dm(dm).text());
    alice.send("C EX");
    alice.expectStartsWith("C BYE ");
    bob.expect("C LEAVE alice");

    LineClient again = askFor("again", "alice", "EXISTING");
    again.send("C PASS a-secret");
    again.expect("C READY alice 2");
    assertEquals(List.of(pm), again.history(), "sign-in history is public only");
    again.send("C CH");
    assertEquals(List.of(dm, pm), again.history());
  }

  @Test
  void fiveWrongPasswordsLockTheNameAndTheAddressWith429() throws Exception {
    register("owner", "carol", "right");

    LineClient guesser = server.connect("guesser");
    guesser.expectStartsWith("C HELLO ");
    for (int i = 0; i < 5; i++) {
      guesser.send("C NICK carol");
      guesser.expect("C PASSWORD EXISTING");
      guesser.send("C PASS guess" + i);
      guesser.expect("C RETRY 401 wrong password");
    }
    guesser.send("C NICK carol");
    guesser.expectStartsWith("C RETRY 429 ");
    // The address is locked as well: every test client comes from 127.0.0.1.
    guesser.send("C NICK dave");
    guesser.expectStartsWith("C RETRY 429 ");
    guesser.expectNothingElse();
  }
}
