package dev.parley.client;

import dev.parley.net.EventLoop;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Frame;
import dev.parley.protocol.ServerLine;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The protocol session, coordinating its parts on the client's loop thread: the {@link SignIn} on
 * each connection (its greeting awaited by the {@link GreetingWatch}), the {@link Conversation}
 * once signed in (with its {@link Resume} after a reconnect), the {@link ReconnectPolicy} when a
 * connection ends or goes silent, and the {@link Departure} once input has ended. What is shown
 * goes through the {@link Transcript}. Loop thread only: the {@link ChatClient} calls the listener
 * methods, and other threads reach {@link #typed}, {@link #inputEnded}, {@link #nameTyped} and
 * {@link #passwordTyped} through {@link ChatClient#execute}.
 *
 * <pre>
 * SIGNING_IN --READY: send C SEQ (and C CH SINCE when resuming)--> READY
 * READY      --connection lost, or a BYE not asked for, reconnecting--> AWAY
 * AWAY       --backoff, then connected--> SIGNING_IN (resuming)
 * READY      --C EX sent, or input ended and nothing owed (or quiet)--> LEAVING
 * LEAVING    --BYE and close, or quiet--> DONE, exit 0 (1 when a script had lines refused)
 * any other  --RETRY in a script, 429, lost without reconnecting--> DONE, exit 1
 * </pre>
 */
final class ClientSession
    implements ChatClient.Listener,
        SignIn.Session,
        Conversation.Session,
        Reconnector.Session,
        GreetingWatch.Session {
  /** The hint shown after the first sign-in when a person is typing. */
  static final String HINT =
      "* type a message and Enter to send it to everyone; /help lists the commands";

  private enum State {
    SIGNING_IN,
    READY,
    LEAVING,
    AWAY,
    DONE
  }

  private record Typed(String line, Runnable handled) {}

  private final ChatClient client;
  private final Prompter prompter;
  private final SessionSettings settings;
  private final Transcript transcript;
  private final Roster roster = new Roster();
  private final JoinedRooms rooms = new JoinedRooms();
  private final SignIn signIn;
  private final Conversation conversation;
  private final Resume resume;
  private final ReconnectPolicy reconnectPolicy;
  private final Reconnector reconnector;
  private final GreetingWatch greetingWatch;
  private final Departure departure;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  private State state = State.SIGNING_IN;
  private final ArrayDeque<Typed> typedBeforeReady = new ArrayDeque<>(); // lines read early
  private boolean signedInOnce;
  private boolean reading; // the keyboard side has been asked for chat lines
  private EventLoop.Timer quietTimer;

  ClientSession(ChatClient client, Prompter prompter, Screen screen, SessionSettings settings) {
    this.client = client;
    this.prompter = prompter;
    this.settings = settings;
    this.transcript =
        new Transcript(
            screen, new Display(settings.clock(), settings.colour()), settings.clock(), rooms);
    this.signIn =
        new SignIn(
            client::send,
            transcript,
            prompter,
            () -> reading,
            this,
            settings.server(),
            settings.interactive(),
            settings.name(),
            settings.password());
    this.conversation =
        new Conversation(
            client::send, transcript, roster, settings.clock(), settings.interactive(), this);
    this.resume = conversation.resume();
    this.reconnectPolicy =
        new ReconnectPolicy(
            settings.reconnect(),
            settings.silenceLimit(),
            settings.steadyAfter(),
            new Backoff(
                settings.firstRetry(),
                ReconnectPolicy.MAX_RETRY,
                () -> ThreadLocalRandom.current().nextDouble()),
            client::now);
    this.reconnector = new Reconnector(client, reconnectPolicy, transcript, this);
    this.greetingWatch =
        new GreetingWatch(
            client, transcript, this, settings.greetingHint(), settings.greetingLimit());
    this.departure = new Departure(settings.quietPeriod(), settings.maxDrain());
  }

  /** Completes with the process exit code once the session is over. Any thread. */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** The names of the users online as last heard, sorted. Any thread (for completion). */
  List<String> online() {
    return roster.names();
  }

  /** The rooms joined, sorted, {@code #main} among them. Any thread (for completion). */
  List<String> rooms() {
    return rooms.names();
  }

  /** The rooms joined and the current one. Any thread (for the check before a line is sent). */
  JoinedRooms joinedRooms() {
    return rooms;
  }

  /** Starts reading input if it is a script (lines read before READY wait in order). */
  void start() {
    if (!settings.interactive()) {
      startReading();
    }
    reconnector.watchForSilence();
    greetingWatch.connected(!client.secure());
  }

  // ---- from the server

  @Override
  public void onLine(ServerLine line) {
    reconnector.heard();
    if (line instanceof ServerLine.Ping ping) {
      client.send(new ClientLine.Pong(ping.token())); // in every state, never shown
      return;
    }
    if (state == State.SIGNING_IN) {
      if (line instanceof ServerLine.Hello) {
        greetingWatch.stop();
      }
      signIn.onLine(line);
    } else if ((state == State.READY || state == State.LEAVING) && conversation.onLine(line)) {
      maybeLeave();
    }
  }

  @Override
  public void onFault(Frame.Fault fault) {
    reconnector.restartClock();
    if (state != State.DONE) {
      transcript.show(fault);
    }
  }

  @Override
  public void onClosed(String cause) {
    if (state == State.DONE) {
      return;
    }
    ReconnectPolicy.Stage stage =
        switch (state) {
          case READY -> ReconnectPolicy.Stage.READY;
          case LEAVING -> ReconnectPolicy.Stage.LEAVING;
          case AWAY -> ReconnectPolicy.Stage.AWAY;
          default -> ReconnectPolicy.Stage.SIGNING_IN;
        };
    switch (reconnectPolicy.afterClose(stage)) {
      case EXIT -> finish(0);
      case RECONNECT -> {
        conversation.connectionLost();
        state = State.AWAY;
        reconnector.reconnectLater(cause);
      }
      case TRY_AGAIN -> reconnector.tryAgainLater(cause);
      case EXIT_LOST -> {
        conversation.connectionLost();
        reconnector.reportLost(cause, conversation.byeShown());
        finish(1);
      }
      case SIGN_IN_FAILED -> {
        String why = cause == null ? "server closed the connection" : "connection lost: " + cause;
        if (signIn.awaitsGreeting() && !client.secure()) {
          why += " - " + GreetingWatch.TLS_HINT; // a TLS port closes a silent plain client
        }
        fail("cannot sign in to " + settings.server() + ": " + why);
      }
    }
  }

  @Override
  public void onConnected() {
    if (state != State.AWAY) {
      return;
    }
    state = State.SIGNING_IN;
    signIn.reconnected();
    resume.reconnected();
    conversation.connected();
    reconnector.restartClock();
    greetingWatch.connected(false); // signed in here before: the port is the right kind
  }

  @Override
  public void ready(ServerLine.Ready ready) {
    String me = ready.name();
    transcript.signedIn(me);
    state = State.READY;
    reconnectPolicy.signedIn();
    roster.signedIn(me);
    conversation.signedIn();
    if (resume.resuming()) {
      transcript.status("* reconnected as " + me);
    } else {
      transcript.show(ready);
    }
    if (settings.reconnect()) {
      resume.signedIn();
      conversation.sendQuietly(new ClientLine.Seq());
    }
    if (settings.interactive()) {
      conversation.sendQuietly(new ClientLine.ListUsers()); // the names that Tab completes
      if (!signedInOnce) {
        transcript.status(HINT);
      }
    }
    signedInOnce = true;
    if (!reading) {
      startReading();
    }
    if (!resume.resuming()) {
      resumed();
    }
    maybeLeave();
  }

  /** Sends the lines typed before sign-in, or while away, in order (after a C EX, none). */
  @Override
  public void roomChanged() {
    prompter.promptChanged(rooms.prompt());
  }

  @Override
  public void resumed() {
    Typed typed;
    while (state == State.READY && (typed = typedBeforeReady.poll()) != null) {
      typed(typed.line(), typed.handled());
    }
  }

  // ---- from the keyboard thread, through ChatClient.execute

  /** A line the person typed (or the script held); {@code handled} runs once it is done with. */
  void typed(String line, Runnable handled) {
    switch (state) {
      case SIGNING_IN, AWAY -> {
        if (state == State.SIGNING_IN && signIn.awaitsName() && reading) {
          handled.run(); // asked again after a reconnect: this line is the name
          signIn.nameTyped(line);
        } else {
          typedBeforeReady.add(new Typed(line, handled));
          if (settings.interactive() && signedInOnce && !line.isBlank()) {
            // The input line clears on Enter: without a word the line would seem lost. It shows
            // again, as one's own message, once the server has confirmed it.
            transcript.status("* queued until reconnected: " + Display.neutralise(line));
          }
        }
      }
      case READY -> conversation.typed(line, handled);
      case LEAVING, DONE -> handled.run(); // after C EX nothing more is sent
    }
  }

  /** Input is over (end of file, Ctrl-D, or Ctrl-C on an empty line at a terminal). */
  void inputEnded() {
    if (departure.inputEnded()) {
      return;
    }
    departure.endInput(client.now());
    if (state == State.SIGNING_IN && signIn.awaitsTyping()) {
      fail("cannot sign in as " + signIn.name() + ": end of input");
      return;
    }
    if (settings.interactive() && state != State.READY && state != State.LEAVING) {
      finish(0); // a person who leaves while the connection is away has nothing left to wait for
      return;
    }
    maybeLeave();
  }

  void nameTyped(String typed) {
    if (state == State.SIGNING_IN) {
      signIn.nameTyped(typed);
    }
  }

  void passwordTyped(char[] typed) {
    if (state == State.SIGNING_IN) {
      signIn.passwordTyped(typed);
    }
  }

  @Override
  public void drop(String cause) {
    client.drop(cause);
  }

  private void startReading() {
    reading = true;
    prompter.startReading();
  }

  // ---- for the greeting watch

  @Override
  public boolean awaitsGreeting() {
    return state == State.SIGNING_IN && signIn.awaitsGreeting();
  }

  @Override
  public void noGreeting(String why) {
    if (signedInOnce) {
      client.drop(why); // reconnects, as after any lost connection
    } else {
      fail("cannot sign in to " + settings.server() + ": " + why);
    }
  }

  // ---- for the reconnector

  @Override
  public boolean away() {
    return state == State.AWAY;
  }

  @Override
  public boolean watching() {
    return state == State.READY;
  }

  @Override
  public void ping() {
    conversation.sendQuietly(new ClientLine.Ping("alive"));
  }

  // ---- leaving

  /** Leaves once input has ended and nothing is owed; otherwise keeps a timer as the bound. */
  private void maybeLeave() {
    if (!departure.inputEnded() || state != State.READY || resume.resuming()) {
      return;
    }
    if (conversation.settled()) {
      sendExit();
    } else {
      armQuietTimer();
    }
  }

  private void sendExit() {
    conversation.sendExit();
    leaving();
  }

  @Override
  public void leaving() {
    state = State.LEAVING;
    reconnector.restartClock(); // the wait for BYE starts now
    armQuietTimer();
  }

  private void armQuietTimer() {
    if (quietTimer == null) {
      quietTimer = client.schedule(departure.quietPeriod(), this::onQuietTimer);
    }
  }

  private void onQuietTimer() {
    quietTimer = null;
    if (state != State.READY && state != State.LEAVING) {
      return;
    }
    Departure.Next next =
        departure.next(state == State.LEAVING, client.now(), reconnector.lastHeardNanos());
    switch (next.step()) {
      case SEND_EXIT -> sendExit();
      case STOP -> finish(0); // no BYE came; the session is over either way
      case WAIT -> quietTimer = client.schedule(next.delay(), this::onQuietTimer);
    }
  }

  // ---- the end

  @Override
  public void fail(String reason) {
    transcript.fail(reason);
    finish(1);
  }

  private void finish(int code) {
    state = State.DONE;
    if (quietTimer != null) {
      quietTimer.cancel();
      quietTimer = null;
    }
    reconnector.stop();
    greetingWatch.stop();
    signIn.forgetPassword();
    client.close();
    int refused = conversation.refusedLines();
    if (code == 0 && refused > 0 && !settings.interactive()) {
      transcript.failPlain(
          refused + (refused == 1 ? " line was" : " lines were") + " not accepted");
      code = 1;
    }
    exitCode.complete(code);
  }
}
