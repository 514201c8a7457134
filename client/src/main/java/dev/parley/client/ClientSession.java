package dev.parley.client;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerLine;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The client's half of a parley/1 session: signs in, sends what the person types, shows what
 * arrives, answers {@code C PING}, and once input has ended leaves with {@code C EX} after the
 * replies still owed have come in. Loop thread only: the {@link ChatClient} calls the listener
 * methods, and other threads reach {@link #typed}, {@link #inputEnded}, {@link #nameTyped} and
 * {@link #passwordTyped} through {@link ChatClient#execute}.
 *
 * <pre>
 * AWAIT_HELLO --HELLO: send C NICK--> SIGNING_IN
 * SIGNING_IN  --PASSWORD, none known--> AWAIT_PASSWORD --typed: send C PASS--> SIGNING_IN
 * SIGNING_IN  --RETRY 409/422, a person typing--> AWAIT_NAME --typed: send C NICK--> SIGNING_IN
 * SIGNING_IN  --RETRY 401, a person typing: send C NICK again--> SIGNING_IN
 * SIGNING_IN  --READY--> READY
 * READY       --C EX typed, or input ended and nothing owed (or quiet)--> LEAVING
 * LEAVING     --BYE and close, or quiet--> DONE, exit 0
 * any other   --RETRY in a script, 429, BYE, close--> DONE, exit 1
 * </pre>
 */
final class ClientSession implements ChatClient.Listener {
  /** The hint printed after sign-in when a person is typing. */
  static final String HINT =
      "Commands: " + InputTranslator.COMMANDS + "; after C PM (or C DM and C <name>) type D <text>";

  /** Asks the keyboard side for input. Called on the loop thread; must not block. */
  interface Prompter {
    /** Read one line as a name; it comes back as {@link #nameTyped} (null at end of input). */
    void askName();

    /** Read a password without echo; it comes back as {@link #passwordTyped} (null at end). */
    void askPassword();

    /**
     * From now on read lines for chat: each comes back as {@link #typed}, then {@link #inputEnded}.
     */
    void startReading();
  }

  /**
   * How this session signs in and behaves.
   *
   * @param server "host:port", for messages
   * @param name the name to sign in with (already checked with {@link Names#problem})
   * @param password the password when it came from a file or the environment; null to ask
   * @param interactive a person at a terminal; false when input is a script
   * @param zone the time zone for message times
   * @param quietPeriod how long without any line from the server counts as "no more replies"
   * @param maxDrain once input has ended, the longest wait for owed replies before leaving
   * @param silenceWarning how long without any line from the server before the person is told the
   *     server went silent (a live server pings an idle client well before that)
   */
  record Settings(
      String server,
      String name,
      String password,
      boolean interactive,
      ZoneId zone,
      Duration quietPeriod,
      Duration maxDrain,
      Duration silenceWarning) {}

  private enum State {
    AWAIT_HELLO,
    SIGNING_IN,
    AWAIT_NAME,
    AWAIT_PASSWORD,
    READY,
    LEAVING,
    DONE
  }

  /**
   * What completes a line this session sent; the server answers strictly in order. A NOTE is a
   * local explanation for a typed line that was not sent: it is shown when the replies before it
   * are, so a script's transcript reads in the order of its lines.
   */
  private enum Reply {
    PROMPT, // after C PM or C <name>
    USERS_THEN_PROMPT, // after C DM
    SENT, // after D <text>
    USERS, // after C LIST
    HISTORY, // after C CH, followed by its data lines
    PONG, // after C PING
    BYE, // after C EX
    ERROR_ONLY, // C NICK or C PASS after sign-in: only an error can come back
    NOTE; // nothing from the server: shown as soon as it is first in line

    static Reply to(ClientLine line) {
      if (line instanceof ClientLine.PublicMessage || line instanceof ClientLine.Recipient) {
        return PROMPT;
      } else if (line instanceof ClientLine.DirectMessage) {
        return USERS_THEN_PROMPT;
      } else if (line instanceof ClientLine.Text) {
        return SENT;
      } else if (line instanceof ClientLine.ListUsers) {
        return USERS;
      } else if (line instanceof ClientLine.ChatHistory) {
        return HISTORY;
      } else if (line instanceof ClientLine.Ping) {
        return PONG;
      } else if (line instanceof ClientLine.Exit) {
        return BYE;
      } else if (line instanceof ClientLine.Pong) {
        return null; // no answer to an answer
      }
      return ERROR_ONLY;
    }
  }

  private record Typed(String line, Runnable handled) {}

  private record Owed(Reply reply, String note) {}

  private final ChatClient client;
  private final Prompter prompter;
  private final Display display;
  private final PrintStream out;
  private final PrintStream err;
  private final Settings settings;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  private State state = State.AWAIT_HELLO;
  private String name; // the name of the current sign-in attempt
  private String me; // the signed-in name, as the server spelled it in C READY
  private final ArrayDeque<Typed> typedBeforeReady = new ArrayDeque<>(); // script lines read early
  private final ArrayDeque<Owed> owed = new ArrayDeque<>(); // replies to lines sent, in order
  private int historyLinesOwed; // data lines still to come after a C HISTORY
  private boolean historyAnswersHead; // that C HISTORY is the reply first in line
  private boolean inputEnded;
  private boolean byeReceived;
  private long lastArrivalNanos = System.nanoTime(); // when the server last sent anything
  private long drainStartNanos; // when input ended
  private ChatClient.Deadline quietTimer;
  private boolean silenceReported; // the person was told the server went silent

  ClientSession(
      ChatClient client, Prompter prompter, PrintStream out, PrintStream err, Settings settings) {
    this.client = client;
    this.prompter = prompter;
    this.display = new Display(settings.zone());
    this.out = out;
    this.err = err;
    this.settings = settings;
    this.name = settings.name();
  }

  /** Completes with the process exit code once the session is over. Any thread. */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** Starts reading input if it is a script (lines read before READY wait in order). */
  void start() {
    if (!settings.interactive()) {
      prompter.startReading();
    }
  }

  // ---- from the server

  @Override
  public void onLine(ServerLine line) {
    lastArrivalNanos = System.nanoTime();
    if (silenceReported) {
      silenceReported = false;
      out.println("* the server is answering again");
    }
    if (line instanceof ServerLine.Ping ping) {
      client.send(new ClientLine.Pong(ping.token())); // in every state, never shown
      return;
    }
    switch (state) {
      case AWAIT_HELLO:
      case SIGNING_IN:
      case AWAIT_NAME:
      case AWAIT_PASSWORD:
        onSignInLine(line);
        break;
      case READY:
      case LEAVING:
        onChatLine(line);
        break;
      case DONE:
        break;
    }
  }

  @Override
  public void onFault(Frame.Fault fault) {
    lastArrivalNanos = System.nanoTime();
    if (state != State.DONE) {
      out.println(display.render(fault));
    }
  }

  @Override
  public void onClosed(String cause) {
    if (state == State.DONE) {
      return;
    }
    if (state == State.READY || state == State.LEAVING) {
      if (!byeReceived) {
        out.println(
            cause == null ? "* server closed the connection" : "! connection lost: " + cause);
      }
      finish(state == State.LEAVING ? 0 : 1);
      return;
    }
    String why = cause == null ? "server closed the connection" : "connection lost: " + cause;
    fail("cannot sign in to " + settings.server() + ": " + why);
  }

  private void onSignInLine(ServerLine line) {
    if (line instanceof ServerLine.Hello hello) {
      show(line);
      if (!ServerLine.VERSION.equals(hello.version())) {
        out.println(
            Display.neutralise(
                "! the server speaks "
                    + hello.version()
                    + "; this client speaks "
                    + ServerLine.VERSION));
      }
      sendNick();
    } else if (line instanceof ServerLine.PasswordRequest) {
      show(line);
      if (settings.password() != null) {
        client.send(new ClientLine.Pass(settings.password()));
      } else if (settings.interactive()) {
        state = State.AWAIT_PASSWORD;
        prompter.askPassword();
      } else {
        fail(
            "cannot sign in as "
                + name
                + ": the server asks for a password; set PARLEY_PASSWORD or use --password-file"
                + " FILE");
      }
    } else if (line instanceof ServerLine.Ready ready) {
      onReady(ready);
    } else if (line instanceof ServerLine.Retry retry) {
      onRetry(retry);
    } else if (line instanceof ServerLine.Error error && state == State.AWAIT_HELLO) {
      fail(
          "cannot connect to "
              + settings.server()
              + ": "
              + Display.neutralise(error.code().code() + " " + error.reason()));
    } else if (line instanceof ServerLine.Bye bye) {
      byeReceived = true;
      fail(
          "cannot sign in to "
              + settings.server()
              + ": "
              + Display.neutralise("server closed the connection: " + bye.reason()));
    } else {
      show(line);
    }
  }

  private void onReady(ServerLine.Ready ready) {
    me = ready.name();
    state = State.READY;
    owed.add(new Owed(Reply.HISTORY, null)); // the recent public messages follow READY
    show(ready);
    if (settings.interactive()) {
      out.println(HINT);
      prompter.startReading();
    }
    watchForSilence();
    Typed typed;
    while ((typed = typedBeforeReady.poll()) != null) {
      typed(typed.line(), typed.handled()); // in order; after a C EX the rest is dropped
    }
    maybeLeave();
  }

  /**
   * Tells the person once when nothing at all has come from the server for a while: a server that
   * is alive answers lines and pings idle clients, so long silence means a lost connection that TCP
   * has not noticed yet.
   */
  private void watchForSilence() {
    Duration limit = settings.silenceWarning();
    long check = Math.max(1, limit.toNanos() / 4);
    client.schedule(
        Duration.ofNanos(check),
        () -> {
          if (state != State.READY) {
            return;
          }
          long silent = System.nanoTime() - lastArrivalNanos;
          if (!silenceReported && silent >= limit.toNanos()) {
            silenceReported = true;
            out.println(
                "! nothing from the server for "
                    + Duration.ofNanos(silent).toSeconds()
                    + " s; the connection may be lost");
          }
          watchForSilence();
        });
  }

  private void onRetry(ServerLine.Retry retry) {
    String why = Display.neutralise(retry.code().code() + " " + retry.reason());
    // A password from a file or the environment that was wrong would be wrong again.
    boolean wrongKnownPassword =
        retry.code() == ErrorCode.WRONG_PASSWORD && settings.password() != null;
    if (retry.code() == ErrorCode.TOO_MANY_ATTEMPTS
        || !settings.interactive()
        || wrongKnownPassword) {
      fail("cannot sign in as " + name + ": " + why);
    } else if (retry.code() == ErrorCode.WRONG_PASSWORD) {
      show(retry);
      sendNick(); // same name; the server asks for the password again
    } else {
      show(retry);
      askName();
    }
  }

  private void onChatLine(ServerLine line) {
    if (settle(line)) {
      owed.poll();
    }
    if (line instanceof ServerLine.Bye) {
      byeReceived = true;
    }
    // Prompts are for people typing by hand; a script already knows what comes next.
    if (settings.interactive() || !(line instanceof ServerLine.Prompt)) {
      show(line);
    }
    showNotes();
    maybeLeave();
  }

  /** Whether {@code line} completes the reply first in line (section 4: answers come in order). */
  private boolean settle(ServerLine line) {
    Reply head = owed.isEmpty() ? null : owed.peek().reply();
    if (line instanceof ServerLine.Error) {
      return head != null; // an error answers whatever line was first, and ends it
    } else if (line instanceof ServerLine.Prompt) {
      return head == Reply.PROMPT || head == Reply.USERS_THEN_PROMPT;
    } else if (line instanceof ServerLine.SentPublic || line instanceof ServerLine.SentDirect) {
      return head == Reply.SENT;
    } else if (line instanceof ServerLine.Users) {
      return head == Reply.USERS; // after C DM the prompt that follows the list is the answer
    } else if (line instanceof ServerLine.History history) {
      historyLinesOwed = history.count();
      historyAnswersHead = head == Reply.HISTORY;
      return historyAnswersHead && historyLinesOwed == 0;
    } else if (line instanceof ServerLine.Delivery) {
      if (historyLinesOwed == 0) {
        return false; // a live message, no reply
      }
      historyLinesOwed--;
      return historyLinesOwed == 0 && historyAnswersHead;
    } else if (line instanceof ServerLine.Pong) {
      return head == Reply.PONG;
    } else if (line instanceof ServerLine.Bye) {
      return head == Reply.BYE;
    }
    return false;
  }

  /** Shows the explanations whose turn has come. */
  private void showNotes() {
    while (!owed.isEmpty() && owed.peek().reply() == Reply.NOTE) {
      out.println(owed.poll().note());
    }
  }

  // ---- from the keyboard thread, through ChatClient.execute

  /** A line the person typed (or the script held); {@code handled} runs once it is done with. */
  void typed(String line, Runnable handled) {
    switch (state) {
      case AWAIT_HELLO:
      case SIGNING_IN:
      case AWAIT_NAME:
      case AWAIT_PASSWORD:
        typedBeforeReady.add(new Typed(line, handled));
        break;
      case READY:
        handle(line, handled);
        break;
      case LEAVING:
      case DONE:
        handled.run(); // after C EX nothing more is sent
        break;
    }
  }

  /** Input is over (end of file, or Ctrl-D at a terminal). */
  void inputEnded() {
    if (inputEnded) {
      return;
    }
    inputEnded = true;
    drainStartNanos = System.nanoTime();
    if (state == State.AWAIT_NAME || state == State.AWAIT_PASSWORD) {
      fail("cannot sign in as " + name + ": end of input");
      return;
    }
    maybeLeave();
  }

  void nameTyped(String typed) {
    if (state != State.AWAIT_NAME) {
      return;
    }
    if (typed == null) {
      fail("cannot sign in: end of input");
      return;
    }
    String candidate = typed.strip();
    String problem = Names.problem(candidate);
    if (problem != null) {
      out.println(Display.neutralise(Display.nameNotAccepted(problem)));
      askName();
      return;
    }
    name = candidate;
    sendNick();
  }

  void passwordTyped(char[] password) {
    if (state != State.AWAIT_PASSWORD) {
      return;
    }
    if (password == null) {
      fail("cannot sign in as " + name + ": end of input");
      return;
    }
    client.send(new ClientLine.Pass(new String(password)));
    Arrays.fill(password, '\0');
    state = State.SIGNING_IN;
  }

  // ---- steps

  private void handle(String typed, Runnable handled) {
    InputTranslator.Translation translation = InputTranslator.translate(typed);
    if (translation instanceof InputTranslator.Send send) {
      send(send.line(), handled);
      return;
    }
    if (translation instanceof InputTranslator.Explain explain) {
      owed.add(new Owed(Reply.NOTE, explain.text()));
      showNotes();
    }
    handled.run();
  }

  private void send(ClientLine line, Runnable handled) {
    Reply reply = Reply.to(line);
    if (reply != null) {
      owed.add(new Owed(reply, null));
    }
    client.send(line, handled);
    if (line instanceof ClientLine.Exit) {
      startLeaving();
    }
  }

  private void sendNick() {
    state = State.SIGNING_IN;
    client.send(new ClientLine.Nick(name));
  }

  private void askName() {
    state = State.AWAIT_NAME;
    out.print(Display.NAME_PROMPT);
    out.flush();
    prompter.askName();
  }

  /** Leaves once input has ended and nothing is owed; otherwise keeps a timer as the bound. */
  private void maybeLeave() {
    if (!inputEnded || state != State.READY) {
      return;
    }
    if (owed.isEmpty()) {
      send(new ClientLine.Exit(), null);
    } else {
      armQuietTimer();
    }
  }

  private void startLeaving() {
    state = State.LEAVING;
    lastArrivalNanos = System.nanoTime(); // the wait for BYE starts now
    armQuietTimer();
  }

  private void armQuietTimer() {
    if (quietTimer == null) {
      quietTimer = client.schedule(settings.quietPeriod(), this::onQuietTimer);
    }
  }

  /**
   * Bounds the waits of an ending session: for owed replies (quiet period with nothing arriving, or
   * the overall drain limit) and then for {@code C BYE}. Sending {@code C EX} early is safe: the
   * server handles lines in order, so anything still owed arrives before its BYE.
   */
  private void onQuietTimer() {
    quietTimer = null;
    long now = System.nanoTime();
    long quietLeft = settings.quietPeriod().toNanos() - (now - lastArrivalNanos);
    long wait;
    if (state == State.READY) {
      long drainLeft = settings.maxDrain().toNanos() - (now - drainStartNanos);
      if (quietLeft <= 0 || drainLeft <= 0) {
        send(new ClientLine.Exit(), null);
        return;
      }
      wait = Math.min(quietLeft, drainLeft);
    } else if (state == State.LEAVING) {
      if (quietLeft <= 0) {
        finish(0); // no BYE came; the session is over either way
        return;
      }
      wait = quietLeft;
    } else {
      return;
    }
    quietTimer = client.schedule(Duration.ofNanos(wait), this::onQuietTimer);
  }

  private void show(ServerLine line) {
    display.render(line, me).ifPresent(out::println);
  }

  private void fail(String reason) {
    err.println(reason);
    finish(1);
  }

  private void finish(int code) {
    state = State.DONE;
    if (quietTimer != null) {
      quietTimer.cancel();
      quietTimer = null;
    }
    client.close();
    out.flush();
    err.flush();
    exitCode.complete(code);
  }
}
