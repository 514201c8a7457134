package dev.parley.client;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerLine;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The protocol session: signs in, sends what the person types, shows what arrives in seq order
 * (through the {@link Timeline}), answers {@code C PING}, reconnects and resumes after a lost
 * connection (section 10), and once input has ended leaves with {@code C EX} after the replies
 * still owed have come in. How lines look is the {@link Display}'s business, what typed text means
 * the {@link InputTranslator}'s. Loop thread only: the {@link ChatClient} calls the listener
 * methods, and other threads reach {@link #typed}, {@link #inputEnded}, {@link #nameTyped} and
 * {@link #passwordTyped} through {@link ChatClient#execute}.
 *
 * <pre>
 * AWAIT_HELLO --HELLO: send C NICK--> SIGNING_IN
 * SIGNING_IN  --PASSWORD, none known--> AWAIT_PASSWORD --typed: send C PASS--> SIGNING_IN
 * SIGNING_IN  --RETRY 409/422, a person typing--> AWAIT_NAME --typed: send C NICK--> SIGNING_IN
 * SIGNING_IN  --RETRY 401, a person typing: send C NICK again--> SIGNING_IN
 * SIGNING_IN  --READY: send C SEQ (and C CH SINCE when resuming)--> READY
 * READY       --connection lost, or a BYE not asked for, reconnecting--> AWAY
 * AWAY        --backoff, then connected--> AWAIT_HELLO (resuming)
 * READY       --C EX sent, or input ended and nothing owed (or quiet)--> LEAVING
 * LEAVING     --BYE and close, or quiet--> DONE, exit 0 (1 when a script had lines refused)
 * any other   --RETRY in a script, 429, lost without reconnecting--> DONE, exit 1
 * </pre>
 */
final class ClientSession implements ChatClient.Listener {
  /** The hint shown after the first sign-in when a person is typing. */
  static final String HINT =
      "* type a message and Enter to send it to everyone; /help lists the commands";

  /** What is shown before the messages a resume brought back. */
  static final String MISSED_MARKER = "--- missed while away ---";

  /** How often a sign-in after a reconnect may find the name still held by the lost connection. */
  static final int GHOST_RETRIES = 3;

  /** The most messages one {@code C CH SINCE} answer holds; a full answer means ask again. */
  static final int RESUME_PAGE = ClientLine.ChatHistorySince.DEFAULT_COUNT;

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
   * @param reconnect whether a lost connection is made again (always for a person)
   * @param clock the time of one's own messages, "today", and the time zone
   * @param colour whether lines are coloured
   * @param quietPeriod how long without any line from the server counts as "no more replies"
   * @param maxDrain once input has ended, the longest wait for owed replies before leaving
   * @param silenceLimit how long without any line from the server before the connection counts as
   *     lost (the client pings at half of it; a live server answers and pings idle clients itself)
   * @param firstRetry the shortest wait before reconnecting; the waits double up to 30 s
   */
  record Settings(
      String server,
      String name,
      String password,
      boolean interactive,
      boolean reconnect,
      Clock clock,
      boolean colour,
      Duration quietPeriod,
      Duration maxDrain,
      Duration silenceLimit,
      Duration firstRetry) {}

  /** The longest wait between reconnection attempts. */
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private enum State {
    AWAIT_HELLO,
    SIGNING_IN,
    AWAIT_NAME,
    AWAIT_PASSWORD,
    READY,
    LEAVING,
    AWAY,
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
    JOIN_HISTORY, // the recent messages after C READY
    RESUME_HISTORY, // after C CH SINCE
    SEQ, // after C SEQ
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
      } else if (line instanceof ClientLine.ChatHistory
          || line instanceof ClientLine.ChatHistorySince) {
        return HISTORY;
      } else if (line instanceof ClientLine.Seq) {
        return SEQ;
      } else if (line instanceof ClientLine.Ping) {
        return PONG;
      } else if (line instanceof ClientLine.Exit) {
        return BYE;
      } else if (line instanceof ClientLine.Pong) {
        return null; // no answer to an answer
      }
      return ERROR_ONLY;
    }

    boolean isHistory() {
      return this == HISTORY || this == JOIN_HISTORY || this == RESUME_HISTORY;
    }
  }

  private record Typed(String line, Runnable handled) {}

  /**
   * One reply owed.
   *
   * @param group the typed line it belongs to (0 for the session's own requests): once one line of
   *     a group is refused, the server refuses the rest as out of place, which says nothing new
   * @param quiet the person did not type this protocol line: prompts and lists for it are not shown
   * @param detail the note to show, or the text of a message being sent
   */
  private record Owed(Reply reply, int group, boolean quiet, String detail) {}

  private final ChatClient client;
  private final Prompter prompter;
  private final Screen screen;
  private final Display display;
  private final Settings settings;
  private final Timeline<ChatMessage> timeline = new Timeline<>();
  private final Roster roster = new Roster();
  private final Backoff backoff;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  private State state = State.AWAIT_HELLO;
  private String name; // the name of the current sign-in attempt
  private String me; // the signed-in name, as the server spelled it in C READY
  private char[] password; // given at the start or typed once; kept for signing in again
  private final ArrayDeque<Typed> typedBeforeReady = new ArrayDeque<>(); // lines read early
  private final ArrayDeque<Owed> owed = new ArrayDeque<>(); // replies to lines sent, in order
  private int nextGroup = 1;
  private int refusedGroup; // the group whose first refusal was shown
  private int historyLinesOwed; // data lines still to come after a C HISTORY
  private Reply historyKind; // which history those lines answer; null for none owed
  private long resumeLastSeq; // the last seq in the current C CH SINCE answer
  private int resumeCount; // messages in the current C CH SINCE answer
  private String epoch; // the server history's identity, from C SEQ; null until known
  private boolean resuming; // signed in again after a lost connection, gap not yet filled
  private boolean signedInOnce;
  private boolean reading; // the keyboard side has been asked for chat lines
  private int ghostRetries; // 409s after a reconnect, taken for our own lost connection
  private int refusedLines; // script lines refused, locally or by the server
  private LocalDate lastDay; // the date of the last message shown
  private boolean inputEnded;
  private long lastArrivalNanos = System.nanoTime(); // when the server last sent anything
  private long drainStartNanos; // when input ended
  private ChatClient.Deadline quietTimer;
  private ChatClient.Deadline silenceTimer;
  private boolean pingedForSilence;
  private boolean silenceReported; // told the person the server went silent (no reconnecting)
  private boolean byeShown; // an unasked-for C BYE was shown: the close says nothing more

  ClientSession(ChatClient client, Prompter prompter, Screen screen, Settings settings) {
    this.client = client;
    this.prompter = prompter;
    this.screen = screen;
    this.display = new Display(settings.clock(), settings.colour());
    this.settings = settings;
    this.name = settings.name();
    this.password = settings.password() == null ? null : settings.password().toCharArray();
    this.backoff =
        new Backoff(
            settings.firstRetry(), MAX_RETRY, () -> ThreadLocalRandom.current().nextDouble());
    this.lastDay = LocalDate.now(settings.clock());
  }

  /** Completes with the process exit code once the session is over. Any thread. */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** The names of the users online as last heard, sorted. Any thread (for completion). */
  List<String> online() {
    return roster.names();
  }

  /** Starts reading input if it is a script (lines read before READY wait in order). */
  void start() {
    if (!settings.interactive()) {
      startReading();
    }
    watchForSilence();
  }

  // ---- from the server

  @Override
  public void onLine(ServerLine line) {
    lastArrivalNanos = System.nanoTime();
    pingedForSilence = false;
    if (silenceReported) {
      silenceReported = false;
      screen.show(display.status("* the server is answering again"));
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
      case AWAY:
      case DONE:
        break;
    }
  }

  @Override
  public void onFault(Frame.Fault fault) {
    lastArrivalNanos = System.nanoTime();
    if (state != State.DONE) {
      screen.show(display.render(fault));
    }
  }

  @Override
  public void onClosed(String cause) {
    switch (state) {
      case DONE:
        return;
      case LEAVING:
        finish(0);
        return;
      case AWAY:
        retryLater(cause == null ? "the server closed the connection" : cause);
        return;
      case READY:
        connectionLost(cause);
        return;
      default:
        if (signedInOnce && settings.reconnect()) {
          connectionLost(cause);
          return;
        }
        String why = cause == null ? "server closed the connection" : "connection lost: " + cause;
        fail("cannot sign in to " + settings.server() + ": " + why);
    }
  }

  @Override
  public void onConnected() {
    if (state != State.AWAY) {
      return;
    }
    state = State.AWAIT_HELLO;
    resuming = true;
    byeShown = false;
    lastArrivalNanos = System.nanoTime();
  }

  private void onSignInLine(ServerLine line) {
    if (line instanceof ServerLine.Hello hello) {
      // The greeting's advice (sign in with C NICK) is followed, not shown.
      if (!ServerLine.VERSION.equals(hello.version())) {
        screen.show(
            display.error(
                Display.neutralise(
                    "! the server speaks "
                        + hello.version()
                        + "; this client speaks "
                        + ServerLine.VERSION)));
      }
      sendNick();
    } else if (line instanceof ServerLine.PasswordRequest) {
      if (password != null) {
        client.send(new ClientLine.Pass(new String(password)));
      } else if (settings.interactive() && !reading) {
        show(line);
        state = State.AWAIT_PASSWORD;
        prompter.askPassword();
      } else {
        fail(
            "cannot sign in as "
                + name
                + ": the server asks for a password; "
                + (settings.interactive()
                    ? "start the client again to give it"
                    : "set PARLEY_PASSWORD or use --password-file FILE"));
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
      if (signedInOnce && settings.reconnect()) {
        return; // the close follows; it reconnects
      }
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
    backoff.reset();
    ghostRetries = 0;
    roster.signedIn(me);
    owed.add(new Owed(Reply.JOIN_HISTORY, 0, true, null)); // the recent public messages
    if (resuming) {
      screen.show(display.status("* reconnected as " + me));
    } else {
      show(ready);
    }
    if (settings.reconnect()) {
      // Nothing counts as shown until the epoch it belongs to is known; after a reconnect, until
      // the gap is filled. Whatever arrives meanwhile waits, to be sorted by seq.
      timeline.hold();
      owed.add(new Owed(Reply.SEQ, 0, true, null));
      client.send(new ClientLine.Seq());
    }
    if (settings.interactive()) {
      sendQuietly(new ClientLine.ListUsers()); // the names that Tab completes
      if (!signedInOnce) {
        screen.show(display.status(HINT));
      }
    }
    signedInOnce = true;
    if (!reading) {
      startReading();
    }
    if (!resuming) {
      sendTypedMeanwhile();
    }
    maybeLeave();
  }

  /** Sends the lines typed before sign-in, or while away, in order (after a C EX, none). */
  private void sendTypedMeanwhile() {
    Typed typed;
    while (state == State.READY && (typed = typedBeforeReady.poll()) != null) {
      typed(typed.line(), typed.handled());
    }
  }

  private void onRetry(ServerLine.Retry retry) {
    String why = Display.neutralise(retry.code().code() + " " + retry.reason());
    if (retry.code() == ErrorCode.NAME_TAKEN && resuming && ghostRetries < GHOST_RETRIES) {
      // Most likely our own lost connection, which the server has not noticed yet.
      ghostRetries++;
      client.drop("the name " + name + " is still taken");
      return;
    }
    // A password from a file or the environment that was wrong would be wrong again.
    boolean wrongKnownPassword = retry.code() == ErrorCode.WRONG_PASSWORD && password != null;
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
    Owed head = owed.peek();
    if (line instanceof ServerLine.Delivery delivery) {
      onDelivery(delivery.message(), head);
    } else if (line instanceof ServerLine.History history) {
      onHistory(history, head);
    } else if (line instanceof ServerLine.SentPublic || line instanceof ServerLine.SentDirect) {
      onSent(line, head);
    } else if (line instanceof ServerLine.Error error) {
      onError(error, head);
    } else if (line instanceof ServerLine.Prompt) {
      boolean answers =
          head != null && (head.reply() == Reply.PROMPT || head.reply() == Reply.USERS_THEN_PROMPT);
      if (answers) {
        owed.poll();
      }
      if (settings.interactive() && !(answers && head.quiet())) {
        show(line);
      }
    } else if (line instanceof ServerLine.Users users) {
      roster.replace(users.names());
      boolean forHead =
          head != null && (head.reply() == Reply.USERS || head.reply() == Reply.USERS_THEN_PROMPT);
      if (head != null && head.reply() == Reply.USERS) {
        owed.poll();
      }
      // A list the person asked for is shown; the one before a /msg's recipient step and the
      // session's own (for completion) are not.
      boolean quiet =
          forHead
              && ((head.reply() == Reply.USERS_THEN_PROMPT && head.quiet()) || head.group() == 0);
      if (!quiet) {
        show(line);
      }
    } else if (line instanceof ServerLine.Seq seq && head != null && head.reply() == Reply.SEQ) {
      owed.poll();
      if (head.group() == 0) {
        onSeq(seq);
      } else {
        show(line); // typed by hand
      }
    } else {
      if (line instanceof ServerLine.Join join) {
        roster.joined(join.name());
      } else if (line instanceof ServerLine.Leave leave) {
        roster.left(leave.name());
      }
      boolean answers =
          head != null
              && ((line instanceof ServerLine.Pong && head.reply() == Reply.PONG)
                  || (line instanceof ServerLine.Bye && head.reply() == Reply.BYE));
      if (answers) {
        owed.poll();
      }
      if (line instanceof ServerLine.Bye && !answers) {
        // Not the answer to our C EX: a restart, a drop for silence or slowness. The close follows.
        byeShown = true;
        show(line);
        return;
      }
      if (!(answers && head.quiet() && line instanceof ServerLine.Pong)) {
        show(line);
      }
    }
    showNotes();
    maybeLeave();
  }

  private void onDelivery(ChatMessage message, Owed head) {
    if (historyLinesOwed == 0) {
      showAll(timeline.add(message.seq(), message)); // live
      return;
    }
    historyLinesOwed--;
    if (historyKind == Reply.HISTORY) {
      showMessage(message); // asked for: shown as asked, whatever was shown before
    } else {
      showAll(timeline.add(message.seq(), message));
      if (historyKind == Reply.RESUME_HISTORY) {
        resumeLastSeq = Math.max(resumeLastSeq, message.seq());
        resumeCount++;
      }
    }
    if (historyLinesOwed == 0) {
      historyAnswered(head);
    }
  }

  private void onHistory(ServerLine.History history, Owed head) {
    historyKind = head != null && head.reply().isHistory() ? head.reply() : Reply.HISTORY;
    historyLinesOwed = history.count();
    resumeCount = 0;
    if (historyKind == Reply.HISTORY || (historyKind == Reply.JOIN_HISTORY && !resuming)) {
      show(history);
    }
    if (historyLinesOwed == 0) {
      historyAnswered(head);
    }
  }

  /** The data lines of a history answer are all in. */
  private void historyAnswered(Owed head) {
    Reply kind = historyKind;
    historyKind = null;
    if (head == null || head.reply() != kind) {
      return; // a history nobody here asked for (a protocol line typed by hand, answered late)
    }
    owed.poll();
    if (kind != Reply.RESUME_HISTORY) {
      return;
    }
    if (resumeCount >= RESUME_PAGE) {
      askSince(resumeLastSeq); // a full page: there may be more
    } else {
      finishResume(true);
    }
  }

  /** The answer to {@code C SEQ}: resume by seq if the history is the same one, else start anew. */
  private void onSeq(ServerLine.Seq point) {
    if (!resuming) {
      epoch = point.epoch();
      showAll(timeline.release());
      return;
    }
    if (epoch == null) {
      // The first connection was lost before its answer: nothing was shown, nothing is missing.
      epoch = point.epoch();
      finishResume(false);
      return;
    }
    if (point.epoch().equals(epoch)) {
      askSince(timeline.lastShown());
      return;
    }
    epoch = point.epoch();
    screen.show(
        display.error(
            "! the server's history was reset; showing the latest messages - some may have been"
                + " missed"));
    timeline.reset();
    finishResume(false);
  }

  private void askSince(long seq) {
    owed.add(new Owed(Reply.RESUME_HISTORY, 0, true, null));
    resumeLastSeq = seq;
    client.send(new ClientLine.ChatHistorySince(seq, RESUME_PAGE));
  }

  private void finishResume(boolean sameHistory) {
    resuming = false;
    List<ChatMessage> missed = timeline.release();
    if (sameHistory) {
      screen.show(
          display.status(missed.isEmpty() ? "* nothing was missed while away" : MISSED_MARKER));
    }
    showAll(missed);
    sendTypedMeanwhile(); // after the missed messages, so one's own reply comes after them
  }

  private void onSent(ServerLine line, Owed head) {
    if (head == null || head.reply() != Reply.SENT) {
      show(line); // a confirmation nobody here is waiting for: say what it says
      return;
    }
    owed.poll();
    long millis = settings.clock().millis();
    ChatMessage mine =
        line instanceof ServerLine.SentDirect dm
            ? ChatMessage.directMessage(dm.seq(), millis, me, dm.to(), head.detail())
            : ChatMessage.publicMessage(
                ((ServerLine.SentPublic) line).seq(), millis, me, head.detail());
    showAll(timeline.add(mine.seq(), mine));
  }

  private void onError(ServerLine.Error error, Owed head) {
    if (head == null) {
      show(error);
      return;
    }
    owed.poll();
    if (head.reply() == Reply.SEQ) {
      if (!resuming) {
        showAll(timeline.release()); // a server without section 10: shown as it comes
      } else { // nothing to resume by
        screen.show(
            display.error(
                "! this server cannot resume; showing the latest messages - some may have been missed"));
        finishResume(false);
      }
      return;
    }
    if (head.reply() == Reply.RESUME_HISTORY) {
      show(error);
      finishResume(true);
      return;
    }
    if (head.group() != 0 && head.group() == refusedGroup) {
      return; // the rest of a refused command, refused as out of place
    }
    refusedGroup = head.group();
    if (head.group() != 0) {
      refusedLines++;
    }
    show(error);
  }

  /** Shows the explanations whose turn has come. */
  private void showNotes() {
    while (!owed.isEmpty() && owed.peek().reply() == Reply.NOTE) {
      screen.show(owed.poll().detail());
    }
  }

  // ---- from the keyboard thread, through ChatClient.execute

  /** A line the person typed (or the script held); {@code handled} runs once it is done with. */
  void typed(String line, Runnable handled) {
    switch (state) {
      case AWAIT_NAME:
        if (reading) { // asked again after a reconnect: the next line is the name
          handled.run();
          nameTyped(line);
          break;
        }
        typedBeforeReady.add(new Typed(line, handled));
        break;
      case AWAIT_HELLO:
      case SIGNING_IN:
      case AWAIT_PASSWORD:
      case AWAY:
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

  /** Input is over (end of file, Ctrl-D, or Ctrl-C on an empty line at a terminal). */
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
    if (settings.interactive() && state != State.READY && state != State.LEAVING) {
      finish(0); // a person who leaves while the connection is away has nothing left to wait for
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
      screen.show(display.error(Display.neutralise(Display.nameNotAccepted(problem))));
      askName();
      return;
    }
    name = candidate;
    sendNick();
  }

  void passwordTyped(char[] typed) {
    if (state != State.AWAIT_PASSWORD) {
      return;
    }
    if (typed == null) {
      fail("cannot sign in as " + name + ": end of input");
      return;
    }
    password = Arrays.copyOf(typed, typed.length); // only here, for signing in again
    client.send(new ClientLine.Pass(new String(typed)));
    Arrays.fill(typed, '\0');
    state = State.SIGNING_IN;
  }

  // ---- steps

  private void handle(String typed, Runnable handled) {
    InputTranslator.Translation translation = InputTranslator.translate(typed);
    if (translation instanceof InputTranslator.Send send) {
      int group = nextGroup++;
      List<ClientLine> lines = send.lines();
      for (int i = 0; i < lines.size(); i++) {
        ClientLine line = lines.get(i);
        Reply reply = Reply.to(line);
        if (reply != null) {
          String text = line instanceof ClientLine.Text t ? t.text() : null;
          owed.add(new Owed(reply, group, send.byCommand(), text));
        }
        boolean last = i == lines.size() - 1;
        client.send(line, last ? handled : null);
        if (line instanceof ClientLine.Exit) {
          startLeaving();
        }
      }
      return;
    }
    if (translation instanceof InputTranslator.Explain explain) {
      if (explain.refused()) {
        refusedLines++;
      }
      String text =
          explain.refused() ? display.error(explain.text()) : display.status(explain.text());
      owed.add(new Owed(Reply.NOTE, 0, true, text));
      showNotes();
    }
    handled.run();
  }

  /** A request of the session's own: its answer is not shown. */
  private void sendQuietly(ClientLine line) {
    owed.add(new Owed(Reply.to(line), 0, true, null));
    client.send(line);
  }

  private void sendNick() {
    state = State.SIGNING_IN;
    client.send(new ClientLine.Nick(name));
  }

  private void askName() {
    state = State.AWAIT_NAME;
    if (reading) {
      screen.show(display.status("* type another name and Enter"));
    } else {
      prompter.askName();
    }
  }

  private void startReading() {
    reading = true;
    prompter.startReading();
  }

  // ---- a lost connection

  private void connectionLost(String cause) {
    forgetConnection();
    if (!settings.reconnect()) {
      if (cause != null) {
        screen.show(display.error(Display.neutralise("! connection lost: " + cause)));
      } else if (!byeShown) {
        screen.show(display.status("* server closed the connection"));
      }
      finish(1);
      return;
    }
    state = State.AWAY;
    Duration wait = backoff.next();
    screen.show(
        display.error(
            "! connection lost - reconnecting in "
                + seconds(wait)
                + " s"
                + (cause == null ? "" : " (" + Display.neutralise(cause) + ")")));
    client.schedule(wait, this::reconnectNow);
  }

  private void retryLater(String cause) {
    Duration wait = backoff.next();
    screen.show(
        display.error(
            "! cannot reconnect ("
                + Display.neutralise(cause)
                + ") - trying again in "
                + seconds(wait)
                + " s"));
    client.schedule(wait, this::reconnectNow);
  }

  private void reconnectNow() {
    if (state == State.AWAY) {
      client.reconnect(Main.CONNECT_TIMEOUT);
    }
  }

  /** What was owed on the lost connection will never come; the lines typed since stay queued. */
  private void forgetConnection() {
    owed.removeIf(o -> o.reply() != Reply.NOTE);
    showNotes();
    historyLinesOwed = 0;
    historyKind = null;
    // A resume cut short stays held: what it brought is shown after the next one fills the gap.
  }

  private static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  /**
   * Keeps watch on the connection: after half the silence limit with nothing from the server it
   * pings; after the whole limit the connection counts as lost (a server that is alive answers
   * pings, so long silence means a connection that TCP has not seen die).
   */
  private void watchForSilence() {
    long check = Math.max(1, settings.silenceLimit().toNanos() / 8);
    silenceTimer =
        client.schedule(
            Duration.ofNanos(check),
            () -> {
              if (state == State.READY) {
                long silent = System.nanoTime() - lastArrivalNanos;
                if (silent >= settings.silenceLimit().toNanos()) {
                  onSilent(silent);
                } else if (!pingedForSilence && silent >= settings.silenceLimit().toNanos() / 2) {
                  pingedForSilence = true;
                  sendQuietly(new ClientLine.Ping("alive"));
                }
              }
              if (state != State.DONE) {
                watchForSilence();
              }
            });
  }

  private void onSilent(long silentNanos) {
    String why = "nothing from the server for " + Duration.ofNanos(silentNanos).toSeconds() + " s";
    if (settings.reconnect()) {
      client.drop(why);
    } else if (!silenceReported) {
      silenceReported = true;
      screen.show(display.error("! " + why + "; the connection may be lost"));
    }
  }

  // ---- leaving

  /** Leaves once input has ended and nothing is owed; otherwise keeps a timer as the bound. */
  private void maybeLeave() {
    if (!inputEnded || state != State.READY || resuming) {
      return;
    }
    if (owed.isEmpty()) {
      owed.add(new Owed(Reply.BYE, 0, false, null));
      client.send(new ClientLine.Exit());
      startLeaving();
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
        owed.add(new Owed(Reply.BYE, 0, false, null));
        client.send(new ClientLine.Exit());
        startLeaving();
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

  // ---- showing

  private void show(ServerLine line) {
    display.render(line, me).ifPresent(screen::show);
  }

  private void showAll(List<ChatMessage> messages) {
    for (ChatMessage m : messages) {
      showMessage(m);
    }
  }

  /** One message, after a marker when it is from another day than the one before it. */
  private void showMessage(ChatMessage m) {
    LocalDate day = display.dateOf(m);
    if (!day.equals(lastDay)) {
      lastDay = day;
      screen.show(display.dayMarker(day));
    }
    screen.show(display.message(m, me));
  }

  private void fail(String reason) {
    screen.fail(Display.neutralise(reason));
    finish(1);
  }

  private void finish(int code) {
    state = State.DONE;
    if (quietTimer != null) {
      quietTimer.cancel();
      quietTimer = null;
    }
    if (silenceTimer != null) {
      silenceTimer.cancel();
    }
    if (password != null) {
      Arrays.fill(password, '\0');
    }
    client.close();
    if (code == 0 && refusedLines > 0 && !settings.interactive()) {
      screen.fail(
          refusedLines + (refusedLines == 1 ? " line was" : " lines were") + " not accepted");
      code = 1;
    }
    exitCode.complete(code);
  }
}
