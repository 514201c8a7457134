package dev.parley.client;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerLine;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Signing in on each connection: {@code C NICK} after the greeting, {@code C PASS} when asked (from
 * a file, the environment, or typed once and kept for signing in again), and what a {@code C RETRY}
 * means: another name asked of a person, the same name again after a wrong typed password, the end
 * for a script, and after a reconnect a few tries more while the server still holds the name for
 * the lost connection. Loop thread only.
 *
 * <pre>
 * AWAIT_HELLO --HELLO: send C NICK--> SENT_NICK
 * SENT_NICK   --PASSWORD, none known--> AWAIT_PASSWORD --typed: send C PASS--> SENT_NICK
 * SENT_NICK   --RETRY 409/422, a person typing--> AWAIT_NAME --typed: send C NICK--> SENT_NICK
 * SENT_NICK   --RETRY 401, a person typing: send C NICK again--> SENT_NICK
 * SENT_NICK   --READY--> (the session goes on)
 * </pre>
 */
final class SignIn {
  /** How often a sign-in after a reconnect may find the name still held by the lost connection. */
  static final int GHOST_RETRIES = 3;

  /** What signing in asks of the session. Loop thread only; none may block. */
  interface Session {
    /** Give up this connection and reconnect. */
    void drop(String cause);

    /** Signing in failed for good: the session ends with exit code 1. */
    void fail(String reason);

    /** Signed in. */
    void ready(ServerLine.Ready ready);
  }

  private enum Step {
    AWAIT_HELLO,
    SENT_NICK,
    AWAIT_NAME,
    AWAIT_PASSWORD
  }

  private final Outbox outbox;
  private final Transcript transcript;
  private final Prompter prompter;
  private final BooleanSupplier readingChat; // chat lines are read: a name comes as a typed line
  private final Session session;
  private final String server; // "host:port", for messages
  private final boolean interactive;
  private Step step = Step.AWAIT_HELLO;
  private String name; // the name of the current attempt
  private char[] password; // given at the start or typed once; kept for signing in again
  private boolean afterReconnect; // a connection was lost after signing in: the name may be held
  private int ghostRetries; // 409s after a reconnect, taken for our own lost connection

  SignIn(
      Outbox outbox,
      Transcript transcript,
      Prompter prompter,
      BooleanSupplier readingChat,
      Session session,
      String server,
      boolean interactive,
      String name,
      String password) {
    this.outbox = outbox;
    this.transcript = transcript;
    this.prompter = prompter;
    this.readingChat = readingChat;
    this.session = session;
    this.server = server;
    this.interactive = interactive;
    this.name = name;
    this.password = password == null ? null : password.toCharArray();
  }

  /** The name of the current attempt. */
  String name() {
    return name;
  }

  /** Connected again after a lost connection: sign in again from the greeting. */
  void reconnected() {
    step = Step.AWAIT_HELLO;
    afterReconnect = true;
  }

  /** Whether this connection has not yet brought the server's greeting. */
  boolean awaitsGreeting() {
    return step == Step.AWAIT_HELLO;
  }

  /** Whether the next typed line is a name. */
  boolean awaitsName() {
    return step == Step.AWAIT_NAME;
  }

  /** Whether signing in waits for something typed (so the end of input ends it). */
  boolean awaitsTyping() {
    return step == Step.AWAIT_NAME || step == Step.AWAIT_PASSWORD;
  }

  /** A line from the server before {@code C READY}. */
  void onLine(ServerLine line) {
    if (line instanceof ServerLine.Hello hello) {
      // The greeting's advice (sign in with C NICK) is followed, not shown.
      if (!ServerLine.VERSION.equals(hello.version())) {
        transcript.error(
            Display.neutralise(
                "! the server speaks "
                    + hello.version()
                    + "; this client speaks "
                    + ServerLine.VERSION));
      }
      sendNick();
    } else if (line instanceof ServerLine.PasswordRequest) {
      onPasswordRequest(line);
    } else if (line instanceof ServerLine.Ready ready) {
      ghostRetries = 0;
      session.ready(ready);
    } else if (line instanceof ServerLine.Retry retry) {
      onRetry(retry);
    } else if (line instanceof ServerLine.Error error && step == Step.AWAIT_HELLO) {
      session.fail(
          "cannot connect to "
              + server
              + ": "
              + Display.neutralise(error.code().code() + " " + error.reason()));
    } else if (line instanceof ServerLine.Bye bye) {
      if (afterReconnect) {
        return; // the close follows; it reconnects
      }
      session.fail(
          "cannot sign in to "
              + server
              + ": "
              + Display.neutralise("server closed the connection: " + bye.reason()));
    } else {
      transcript.show(line);
    }
  }

  /** A name typed after {@link Prompter#askName}; null at the end of input. */
  void nameTyped(String typed) {
    if (step != Step.AWAIT_NAME) {
      return;
    }
    if (typed == null) {
      session.fail("cannot sign in: end of input");
      return;
    }
    String candidate = typed.strip();
    String problem = Names.problem(candidate);
    if (problem != null) {
      transcript.error(Display.neutralise(Display.nameNotAccepted(problem)));
      askName();
      return;
    }
    name = candidate;
    sendNick();
  }

  /** A password typed after {@link Prompter#askPassword}; null at end of input. */
  void passwordTyped(char[] typed) {
    if (step != Step.AWAIT_PASSWORD) {
      return;
    }
    if (typed == null) {
      session.fail("cannot sign in as " + name + ": end of input");
      return;
    }
    password = Arrays.copyOf(typed, typed.length); // only here, for signing in again
    outbox.send(new ClientLine.Pass(new String(typed)));
    Arrays.fill(typed, '\0');
    step = Step.SENT_NICK;
  }

  /** The session is over: the password is not kept in memory any longer. */
  void forgetPassword() {
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }

  private void onPasswordRequest(ServerLine line) {
    if (password != null) {
      outbox.send(new ClientLine.Pass(new String(password)));
    } else if (interactive && !readingChat.getAsBoolean()) {
      transcript.show(line);
      step = Step.AWAIT_PASSWORD;
      prompter.askPassword();
    } else {
      session.fail(
          "cannot sign in as "
              + name
              + ": the server asks for a password; "
              + (interactive
                  ? "start the client again to give it"
                  : "set PARLEY_PASSWORD or use --password-file FILE"));
    }
  }

  private void onRetry(ServerLine.Retry retry) {
    String why = Display.neutralise(retry.code().code() + " " + retry.reason());
    if (retry.code() == ErrorCode.NAME_TAKEN && afterReconnect && ghostRetries < GHOST_RETRIES) {
      // Most likely our own lost connection, which the server has not noticed yet.
      ghostRetries++;
      session.drop("the name " + name + " is still taken");
      return;
    }
    // A password from a file or the environment that was wrong would be wrong again.
    boolean wrongKnownPassword = retry.code() == ErrorCode.WRONG_PASSWORD && password != null;
    if (retry.code() == ErrorCode.TOO_MANY_ATTEMPTS || !interactive || wrongKnownPassword) {
      session.fail("cannot sign in as " + name + ": " + why);
    } else if (retry.code() == ErrorCode.WRONG_PASSWORD) {
      transcript.show(retry);
      sendNick(); // same name; the server asks for the password again
    } else {
      transcript.show(retry);
      askName();
    }
  }

  private void sendNick() {
    step = Step.SENT_NICK;
    outbox.send(new ClientLine.Nick(name));
  }

  private void askName() {
    step = Step.AWAIT_NAME;
    if (readingChat.getAsBoolean()) {
      transcript.status("* type another name and Enter");
    } else {
      prompter.askName();
    }
  }
}
