package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sign-in, names, and the JOIN/LEAVE notices others see, over real sockets. */
class SignInEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started().overTls(overTls());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  /** Asserts that the client's next line is {@code prefix} with a reason after it; returns it. */
  private static String expectWithReason(LineClient client, String prefix) {
    String line = client.next();
    assertTrue(line.startsWith(prefix) && line.length() > prefix.length(), line);
    return line;
  }

  @Test
  void theFirstLineIsHelloAndReadyCountsTheNewUser() throws Exception {
    LineClient alice = server.connect("alice");
    String hello = alice.next();
    assertTrue(hello.startsWith("C HELLO parley/1 "), hello);
    alice.send("C NICK alice");
    alice.expect("C READY alice 1", "C HISTORY 0");

    LineClient bob = server.connect("bob");
    bob.expectStartsWith("C HELLO parley/1 ");
    bob.send("C NICK bob");
    bob.expect("C READY bob 2", "C HISTORY 0");
    alice.expect("C JOIN bob");
    bob.expectNothingElse();
  }

  @Test
  void aNameTakenInAnyCaseGetsRetry409AndAnotherNameThenSucceeds() throws Exception {
    LineClient alice = server.signIn("Alice");
    LineClient other = server.connect("other");
    other.expectStartsWith("C HELLO ");

    other.send("C NICK Alice");
    other.expectStartsWith("C RETRY 409 ");
    other.send("C NICK alice");
    other.expectStartsWith("C RETRY 409 ");
    other.send("C NICK ALICE");
    other.expectStartsWith("C RETRY 409 ");
    other.send("C NICK alice2");
    other.expect("C READY alice2 2", "C HISTORY 0");
    alice.expect("C JOIN alice2");
    other.send("C LIST");
    other.expect("C USERS 2 Alice alice2");
  }

  @Test
  void invalidNamesAndKeywordsGetRetry422AndALaterNickSucceeds() throws Exception {
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    String tooLong = "a".repeat(33);
    List<String> refused =
        List.of(
            "C NICK " + tooLong,
            "C NICK bad.char",
            "C NICK two words",
            "C NICK caf\u00e9",
            "C NICK",
            "C NICK ",
            "C NICK list",
            "C NICK Pm",
            "C NICK ping",
            "C NICK ex",
            "C NICK NICK",
            "C NICK pass");
    for (String line : refused) {
      c.send(line);
      String answer = c.next();
      assertTrue(answer.startsWith("C RETRY 422 "), line + " got " + answer);
    }
    String longest = "A".repeat(32);
    c.send("C NICK " + longest);
    c.expect("C READY " + longest + " 1", "C HISTORY 0");
  }

  @Test
  void namesMayUseLettersDigitsUnderscoreAndHyphen() throws Exception {
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    c.send("C NICK a_B-9");
    c.expect("C READY a_B-9 1", "C HISTORY 0");
  }

  @Test
  void linesOtherThanNickPingPongOrExBeforeSignInGet412AndALaterNickWorks() throws Exception {
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    for (String line :
        List.of("C LIST", "C PM", "C DM", "C CH", "D some text", "C SEQ", "C CH SINCE 0")) {
      c.send(line);
      String answer = c.next();
      assertTrue(answer.startsWith("C ERR 412 "), line + " got " + answer);
    }
    c.send("C PING before", "C PONG ignored");
    c.expect("C PONG before");
    c.expectNothingElse();
    c.send("C NICK late");
    c.expect("C READY late 1", "C HISTORY 0");
  }

  @Test
  void nickAfterSignInGets412AndChangesNothing() throws Exception {
    LineClient alice = server.signIn("alice");
    alice.send("C NICK other", "C LIST");
    alice.expectStartsWith("C ERR 412 ");
    alice.expect("C USERS 1 alice");
  }

  @Test
  void exitBeforeSignInSaysByeAndClosesWithoutANoticeToOthers() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    c.send("C EX");
    c.expectStartsWith("C BYE ");
    c.expectClosed();
    server.awaitOpenConnections(1);
    alice.expectNothingElse();
  }

  @Test
  void othersSeeJoinAndExitGivesByeThenCloseThenLeaveWithoutReason() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    bob.send("C EX", "C LIST"); // nothing after C EX is handled
    expectWithReason(bob, "C BYE ");
    bob.expectClosed();
    alice.expect("C LEAVE bob");
    server.awaitUsersOnline(1);
    server.awaitOpenConnections(1);

    // The name is free again once its user left.
    LineClient bob2 = server.signInSeenBy("BOB", alice);
    bob2.send("C LIST");
    bob2.expect("C USERS 2 alice BOB");
  }

  /** The ways a client can go without {@code C EX}. */
  enum Disconnect {
    RESET {
      @Override
      void by(LineClient client) throws IOException {
        client.closeAbruptly();
      }
    },
    ORDERLY_CLOSE {
      @Override
      void by(LineClient client) throws IOException {
        client.close();
      }
    };

    abstract void by(LineClient client) throws IOException;
  }

  @ParameterizedTest
  @EnumSource(Disconnect.class)
  void aDisconnectWithoutExIsALeaveWithAReasonAndFreesTheSeat(Disconnect disconnect)
      throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    disconnect.by(bob);
    String leave = expectWithReason(alice, "C LEAVE bob ");
    assertFalse(leave.contains("internal error"), "a peer going away is no server fault: " + leave);
    server.awaitUsersOnline(1);
    server.awaitOpenConnections(1);
    alice.send("C LIST");
    alice.expect("C USERS 1 alice");
  }

  @Test
  void usersListIsInSignInOrderAndDropsThoseWhoLeft() throws Exception {
    List<LineClient> clients = new ArrayList<>();
    for (String name : List.of("zed", "amy", "Max", "bo")) {
      clients.add(server.signIn(name));
    }
    clients.get(1).send("C EX");
    server.awaitUsersOnline(3);
    LineClient bo = clients.get(3);
    bo.send("C LIST");
    bo.nextMatching(line -> line.startsWith("C USERS "));
    // The LEAVE may come before or after the first answer; ask again once it surely came.
    bo.send("C LIST");
    assertEquals("C USERS 3 zed Max bo", bo.nextMatching(line -> line.startsWith("C USERS ")));
  }
}
