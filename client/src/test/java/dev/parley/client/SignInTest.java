package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignInTest {
  private static final ServerLine HELLO = new ServerLine.Hello(ServerLine.VERSION, "hi");
  private static final ServerLine TAKEN = new ServerLine.Retry(ErrorCode.NAME_TAKEN, "taken");

  private final RecordingScreen screen = new RecordingScreen();
  private final List<ClientLine> sent = new ArrayList<>();
  private final List<String> asked = new ArrayList<>(); // prompter requests and session calls
  private boolean readingChat;

  private SignIn signIn(boolean interactive, String password) {
    Prompter prompter =
        new Prompter() {
          @Override
          public void askName() {
            asked.add("name");
          }

          @Override
          public void askPassword() {
            asked.add("password");
          }

          @Override
          public void startReading() {
            asked.add("reading");
          }
        };
    SignIn.Session session =
        new SignIn.Session() {
          @Override
          public void drop(String cause) {
            asked.add("drop: " + cause);
          }

          @Override
          public void fail(String reason) {
            asked.add("fail: " + reason);
          }

          @Override
          public void ready(ServerLine.Ready ready) {
            asked.add("ready " + ready.name());
          }
        };
    return new SignIn(
        (line, onWritten) -> sent.add(line),
        screen.transcript(),
        prompter,
        () -> readingChat,
        session,
        "host:1",
        interactive,
        "bob",
        password);
  }

  @Test
  void theGreetingIsAnsweredWithTheNameAndReadyIsPassedOn() {
    SignIn signIn = signIn(false, null);
    signIn.onLine(HELLO);
    signIn.onLine(new ServerLine.Ready("Bob", 1));
    assertEquals(List.of(new ClientLine.Nick("bob")), sent);
    assertEquals(List.of("ready Bob"), asked);
  }

  @Test
  void aTakenNameAsksAPersonForAnotherAndABadOneIsAskedAgain() {
    SignIn signIn = signIn(true, null);
    signIn.onLine(HELLO);
    signIn.onLine(TAKEN);
    assertTrue(signIn.awaitsName());
    signIn.nameTyped("no spaces");
    signIn.nameTyped(" carol ");
    assertEquals(List.of("name", "name"), asked);
    assertEquals(List.of(new ClientLine.Nick("bob"), new ClientLine.Nick("carol")), sent);
    assertEquals("carol", signIn.name());
  }

  @Test
  void aPersonAlreadyReadingChatTypesTheNameAsAChatLine() {
    SignIn signIn = signIn(true, null);
    readingChat = true;
    signIn.onLine(HELLO);
    signIn.onLine(TAKEN);
    assertTrue(asked.isEmpty(), asked.toString());
    assertTrue(screen.shown.contains("* type another name and Enter"), screen.shown.toString());
  }

  @Test
  void anyRetryEndsAScript() {
    SignIn signIn = signIn(false, null);
    signIn.onLine(HELLO);
    signIn.onLine(TAKEN);
    assertEquals(List.of("fail: cannot sign in as bob: 409 taken"), asked);
  }

  @Test
  void aNameStillHeldAfterAReconnectIsDroppedAndRetriedAFewTimes() {
    SignIn signIn = signIn(false, null);
    signIn.reconnected();
    for (int i = 0; i <= SignIn.GHOST_RETRIES; i++) {
      signIn.onLine(HELLO);
      signIn.onLine(TAKEN);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < SignIn.GHOST_RETRIES; i++) {
      expected.add("drop: the name bob is still taken");
    }
    expected.add("fail: cannot sign in as bob: 409 taken");
    assertEquals(expected, asked);
  }

  @Test
  void aTypedPasswordIsSentKeptForLaterAndWipedFromTheTypedBuffer() {
    SignIn signIn = signIn(true, null);
    signIn.onLine(HELLO);
    signIn.onLine(new ServerLine.PasswordRequest(ServerLine.PasswordKind.EXISTING));
    assertEquals(List.of("password"), asked);
    char[] typed = "s3cret".toCharArray();
    signIn.passwordTyped(typed);
    assertArrayEquals(new char[6], typed);
    signIn.reconnected();
    signIn.onLine(HELLO);
    signIn.onLine(new ServerLine.PasswordRequest(ServerLine.PasswordKind.EXISTING));
    assertEquals(
        List.of(
            new ClientLine.Nick("bob"),
            new ClientLine.Pass("s3cret"),
            new ClientLine.Nick("bob"),
            new ClientLine.Pass("s3cret")),
        sent);
    assertEquals(List.of("password"), asked, "asked once");
  }

  @Test
  void aWrongTypedPasswordIsAskedAgainButAWrongGivenOneEndsTheSession() {
    SignIn person = signIn(true, null);
    person.onLine(HELLO);
    person.onLine(new ServerLine.Retry(ErrorCode.WRONG_PASSWORD, "wrong"));
    assertEquals(List.of(new ClientLine.Nick("bob"), new ClientLine.Nick("bob")), sent);
    SignIn fromFile = signIn(true, "given");
    fromFile.onLine(HELLO);
    fromFile.onLine(new ServerLine.Retry(ErrorCode.WRONG_PASSWORD, "wrong"));
    assertEquals(List.of("fail: cannot sign in as bob: 401 wrong"), asked);
  }

  @Test
  void aScriptWithoutAPasswordIsToldWhereToGiveOne() {
    SignIn signIn = signIn(false, null);
    signIn.onLine(HELLO);
    signIn.onLine(new ServerLine.PasswordRequest(ServerLine.PasswordKind.NEW));
    assertEquals(1, asked.size());
    assertTrue(asked.get(0).contains("set PARLEY_PASSWORD"), asked.toString());
  }

  @Test
  void aByeEndsTheFirstSignInButIsWaitedOutAfterAReconnect() {
    SignIn first = signIn(false, null);
    first.onLine(new ServerLine.Bye("restarting"));
    assertEquals(
        List.of("fail: cannot sign in to host:1: server closed the connection: restarting"), asked);
    asked.clear();
    SignIn again = signIn(false, null);
    again.reconnected();
    again.onLine(new ServerLine.Bye("restarting"));
    assertTrue(asked.isEmpty(), asked.toString());
  }
}
