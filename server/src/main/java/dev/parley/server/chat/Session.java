package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frame;
import dev.parley.protocol.MessageKind;
import dev.parley.protocol.Names;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import dev.parley.server.account.Account;
import dev.parley.server.account.Accounts;
import dev.parley.server.account.PasswordChecks;
import dev.parley.server.net.ConnectionHandler;
import dev.parley.server.net.EventLoop;
import dev.parley.server.net.Pause;
import dev.parley.server.net.Peer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state of one connection: sign-in, then commands, with at most one PM or DM being
 * composed. Loop thread only.
 *
 * <pre>
 *   AWAIT_NICK --NICK--> READY                      (accounts off)
 *   AWAIT_NICK --NICK--> AWAIT_PASS --PASS--> CHECKING_PASS --ok--> READY
 *        ^                    |                     |
 *        +--- RETRY / 412 ----+---- RETRY 401/409 --+
 *   READY --C PM--> AWAIT_TEXT --D--> READY         (message goes to the store)
 *   READY --C DM--> AWAIT_RECIPIENT --C name--> AWAIT_TEXT
 *   any error while composing: back to READY;  C EX or close, from any state: CLOSED
 * </pre>
 *
 * <p>Replies keep the order of the lines they answer although some answers wait for other threads
 * (a message's {@code C SENT} for the store, an account's history for a query): while such an
 * answer is pending, later replies are held behind it (a {@link ReplyQueue}) and released when it
 * arrives. Deliveries of other users' messages and notices are not replies and go straight to the
 * connection's queue.
 */
final class Session implements ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  /** Held replies (and pending answers) beyond which the session is read from no further. */
  static final int MAX_HELD = ReplyQueue.MAX_HELD;

  /**
   * Waiting for password checks is not held against the sign-in deadline up to this much in all;
   * beyond it, it is: a connection cannot wait in the check queue for ever.
   */
  static final long MAX_EXCUSED_CHECKING_NANOS = 30_000_000_000L;

  /** The close reason of a session that sent {@code C EX}; others see a LEAVE without reason. */
  static final String QUIT = "quit";

  enum State {
    AWAIT_NICK,
    AWAIT_PASS,
    CHECKING_PASS,
    READY,
    AWAIT_RECIPIENT,
    AWAIT_TEXT,
    CLOSED
  }

  private static final Map<State, EnumSet<State>> TRANSITIONS = new EnumMap<>(State.class);

  static {
    TRANSITIONS.put(State.AWAIT_NICK, EnumSet.of(State.AWAIT_PASS, State.READY, State.CLOSED));
    TRANSITIONS.put(
        State.AWAIT_PASS, EnumSet.of(State.AWAIT_NICK, State.CHECKING_PASS, State.CLOSED));
    TRANSITIONS.put(State.CHECKING_PASS, EnumSet.of(State.AWAIT_NICK, State.READY, State.CLOSED));
    TRANSITIONS.put(State.READY, EnumSet.of(State.AWAIT_TEXT, State.AWAIT_RECIPIENT, State.CLOSED));
    TRANSITIONS.put(State.AWAIT_RECIPIENT, EnumSet.of(State.AWAIT_TEXT, State.READY, State.CLOSED));
    TRANSITIONS.put(State.AWAIT_TEXT, EnumSet.of(State.READY, State.CLOSED));
    TRANSITIONS.put(State.CLOSED, EnumSet.noneOf(State.class));
  }

  private final Peer connection; // a net.Connection in the server
  private final ChatService chat;
  private State state = State.AWAIT_NICK;
  private String name; // as spelled at sign-in; null before READY
  private String candidate; // the name being signed in with while a password is asked
  private Account account; // the existing account being signed in to, or null for a new one
  private MessageKind composing; // the PM or DM whose text is awaited
  private Session recipient; // the DM's recipient, fixed at the C <name> step
  private String closeReason; // why the session is leaving, once it is
  private final Replies out = new Replies();
  private final ReplyQueue replies = new ReplyQueue(out);
  private final SessionHistory history;
  private boolean closed; // the connection is gone; late answers are dropped
  private final RateLimiter rate; // null when the rate allowance is off
  private EventLoop.Timer rateResume; // reading resumes when the allowance has refilled
  private final long connectedAt; // nanos
  private long lastLineAt; // nanos; when a line last arrived
  private long pingSentAt; // nanos; when we sent C PING and still wait for a line; 0 if not
  private PasswordChecks.Check<?> check; // the password check waiting or running, or null
  private long checkingSince; // nanos; when the current password check began
  private long checkingTotal; // nanos spent waiting for earlier password checks
  int index = -1; // place in ChatService's session list, for removal in constant time

  Session(Peer connection, ChatService chat, RateLimiter rate) {
    this.connection = connection;
    this.chat = chat;
    this.rate = rate;
    this.history = new SessionHistory(chat, replies, out);
    this.connectedAt = connection.loop().now();
    this.lastLineAt = connectedAt;
  }

  String name() {
    return name;
  }

  long queuedBytes() {
    return connection.pendingBytes();
  }

  long peakQueuedBytes() {
    return connection.peakPendingBytes();
  }

  State state() {
    return state;
  }

  /** Replies held behind an answer that is still pending; tests check it stays bounded. */
  int heldReplies() {
    return replies.size();
  }

  // ---- ConnectionHandler ----

  /**
   * A client over its allowance is slowed down, not refused: reading stops until the bucket has a
   * token again, so the excess waits in the kernel's buffers and nothing is lost.
   */
  private void pauseWhileOverRate(long now) {
    if (rate.hasToken(now) || rateResume != null) {
      return;
    }
    connection.pause(Pause.RATE);
    rateResume =
        connection
            .loop()
            .schedule(
                rate.nanosUntilToken(now),
                () -> {
                  rateResume = null;
                  connection.resume(Pause.RATE);
                });
  }

  @Override
  public void onFrame(Frame frame) {
    long now = connection.loop().now();
    lastLineAt = now;
    pingSentAt = 0;
    if (rate != null) {
      rate.take(now);
      pauseWhileOverRate(now);
    }
    if (frame instanceof Frame.Fault) {
      Frame.Fault fault = (Frame.Fault) frame;
      reject(fault.code(), fault.reason());
      return;
    }
    ClientLine line;
    try {
      line = ClientLine.parse(((Frame.Text) frame).text());
    } catch (ProtocolException e) {
      reject(e.code(), e.reason());
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} <- {}", who(), line);
    }
    handle(line);
  }

  @Override
  public void onWritable() {
    replies.outputDrained(); // history answers waiting for room go on
  }

  @Override
  public void onEndOfInput() {
    // Answer everything received, as for C EX, but others see that the connection went.
    if (!closed && state != State.CLOSED) {
      leave("end of input", "connection closed");
    }
  }

  @Override
  public void onClose(String reason) {
    closed = true;
    state = State.CLOSED;
    cancelCheck();
    replies.discard();
    if (rateResume != null) {
      rateResume.cancel();
    }
    history.forget();
    chat.closed(this, reason);
    if (name != null) {
      LOG.info("{} left ({})", name, reason);
    } else {
      LOG.info("connection from {} closed ({})", connection.remoteAddress(), reason);
    }
  }

  // ---- called by the chat service's housekeeping and shutdown ----

  /**
   * Enforces the sign-in deadline (time spent waiting for password checks does not count, up to
   * {@link #MAX_EXCUSED_CHECKING_NANOS}) and the idle rule: {@code C PING} after {@code idleNanos}
   * of silence, dropped after as much again.
   */
  void checkTimeouts(long now, long idleNanos, long signInNanos) {
    if (closed || state == State.CLOSED) {
      return;
    }
    if (state == State.AWAIT_NICK || state == State.AWAIT_PASS || state == State.CHECKING_PASS) {
      long checking = checkingTotal + (state == State.CHECKING_PASS ? now - checkingSince : 0);
      if (now - connectedAt - Math.min(checking, MAX_EXCUSED_CHECKING_NANOS) >= signInNanos) {
        leave("sign-in timeout", "sign-in timeout");
      }
      return;
    }
    if (idleNanos <= 0) {
      return;
    }
    if (pingSentAt == 0) {
      if (now - lastLineAt >= idleNanos) {
        pingSentAt = now;
        connection.enqueue(Wire.encode(new ServerLine.Ping(Long.toHexString(now))));
      }
    } else if (now - pingSentAt >= idleNanos) {
      leave("ping timeout", "ping timeout");
    }
  }

  /** The server is going down: goodbye after the answers still owed, then close. */
  void serverClosing() {
    if (!closed && state != State.CLOSED) {
      leave("server shutting down", "server shutting down");
    }
  }

  // ---- called by the router and the store batcher ----

  /**
   * Queues a delivered message or notice; not a reply, so it is never held. False when it will
   * never reach the client: the connection is closing, or this line made it too slow.
   */
  boolean deliver(ByteBuffer line) {
    return connection.enqueue(line); // unlike a reply, may drop a client that does not read
  }

  /** The store took one of this session's messages; its answer takes the message's place. */
  void confirmStored(ServerLine answer) {
    replies.storeAnswered(List.of(Wire.encode(answer)));
  }

  /** The store could not take one of this session's messages: it is refused, not delivered. */
  void refuseUnstored() {
    confirmStored(ServerLine.Error.of(ErrorCode.STORE_FAILED));
  }

  void rememberDirect(StoredMessage message) {
    if (!closed) {
      history.rememberDirect(message);
    }
  }

  // ---- the state machine ----

  private void handle(ClientLine line) {
    // Honoured in every state; PING and PONG leave a PM/DM being composed as it is.
    if (line instanceof ClientLine.Ping) {
      reply(new ServerLine.Pong(((ClientLine.Ping) line).token()));
      return;
    }
    if (line instanceof ClientLine.Pong) {
      return;
    }
    if (line instanceof ClientLine.Exit) {
      exit();
      return;
    }
    if ((line instanceof ClientLine.Seq || line instanceof ClientLine.ChatHistorySince)
        && isSignedIn()) {
      // The resume requests are answered in every state after READY, as PING is: a client that
      // reconnects asks before anything else, whatever it had begun.
      replies.requestHistory(line);
      return;
    }
    switch (state) {
      case AWAIT_NICK:
        nick(line);
        break;
      case AWAIT_PASS:
        password(line);
        break;
      case READY:
        command(line);
        break;
      case AWAIT_RECIPIENT:
        recipient(line);
        break;
      case AWAIT_TEXT:
        text(line);
        break;
      case CHECKING_PASS:
      case CLOSED:
        break;
    }
  }

  private boolean isSignedIn() {
    return state == State.READY || state == State.AWAIT_RECIPIENT || state == State.AWAIT_TEXT;
  }

  private void nick(ClientLine line) {
    if (line instanceof ClientLine.Recipient r) {
      reply(unknownCommand(r));
      return;
    }
    if (!(line instanceof ClientLine.Nick)) {
      reply(new ServerLine.Error(ErrorCode.NOT_EXPECTED, "sign in first with C NICK <name>"));
      return;
    }
    String wanted = ((ClientLine.Nick) line).name();
    String problem = Names.problem(wanted);
    if (problem != null) {
      retry(ErrorCode.INVALID_NAME, problem);
      return;
    }
    Accounts accounts = chat.accounts();
    if (accounts != null && accounts.isLocked(wanted, address())) {
      retry(ErrorCode.TOO_MANY_ATTEMPTS, ErrorCode.TOO_MANY_ATTEMPTS.defaultReason());
      return;
    }
    if (chat.directory().find(wanted) != null) {
      retry(ErrorCode.NAME_TAKEN, wanted + " is already in use");
      return;
    }
    if (accounts == null) {
      signIn(wanted);
      return;
    }
    candidate = wanted;
    account = accounts.find(wanted);
    moveTo(State.AWAIT_PASS);
    reply(
        new ServerLine.PasswordRequest(
            account == null ? ServerLine.PasswordKind.NEW : ServerLine.PasswordKind.EXISTING));
  }

  private void password(ClientLine line) {
    if (line instanceof ClientLine.Nick) {
      moveTo(State.AWAIT_NICK); // a new name starts sign-in again
      nick(line);
      return;
    }
    if (!(line instanceof ClientLine.Pass)) {
      moveTo(State.AWAIT_NICK);
      reply(
          line instanceof ClientLine.Recipient r
              ? unknownCommand(r)
              : new ServerLine.Error(
                  ErrorCode.NOT_EXPECTED, "expected C PASS <password>; sign in again"));
      return;
    }
    Accounts accounts = chat.accounts();
    PasswordChecks.Refusal refusal = accounts.refusal(candidate, address());
    if (refusal != null) {
      moveTo(State.AWAIT_NICK);
      retry(ErrorCode.TOO_MANY_ATTEMPTS, reasonFor(refusal));
      return;
    }
    String password = ((ClientLine.Pass) line).password();
    if (account == null && password.isEmpty()) {
      moveTo(State.AWAIT_NICK);
      retry(ErrorCode.INVALID_NAME, "a new account needs a password that is not empty");
      return;
    }
    moveTo(State.CHECKING_PASS);
    connection.pause(Pause.PASSWORD_CHECK);
    checkingSince = connection.loop().now();
    // Asked before the check starts, and before a new account is stored: a client that hung up
    // costs no hashing and leaves no account behind.
    String from = address();
    check =
        account == null
            ? accounts.register(candidate, password, from, connection::peerGone, this::checked)
            : accounts.verify(account, password, from, connection::peerGone, this::checked);
  }

  private static String reasonFor(PasswordChecks.Refusal refusal) {
    switch (refusal) {
      case ADDRESS_BUSY:
        return "too many sign-ins from your address are waiting; try again shortly";
      case SERVER_BUSY:
        return "the server is busy checking passwords; try again shortly";
      default:
        return ErrorCode.TOO_MANY_ATTEMPTS.defaultReason();
    }
  }

  /** The password check is over: its answer, in the order of the lines. */
  private void checked(Accounts.Outcome outcome) {
    check = null;
    if (closed || state != State.CHECKING_PASS) {
      return; // gone, or the server began shutting down while the password was checked
    }
    checkingTotal += connection.loop().now() - checkingSince;
    switch (outcome) {
      case RIGHT:
        signInChecked();
        break;
      case CREATED:
        LOG.info("account {} created", candidate);
        signInChecked();
        break;
      case WRONG:
        LOG.info("wrong password for {} from {}", candidate, address());
        moveTo(State.AWAIT_NICK);
        retry(ErrorCode.WRONG_PASSWORD, "wrong password");
        break;
      case TAKEN:
        moveTo(State.AWAIT_NICK);
        retry(ErrorCode.NAME_TAKEN, candidate + " was just registered by someone else");
        break;
      case FAILED:
        // A RETRY, like every other refused sign-in: the client starts again at C NICK.
        moveTo(State.AWAIT_NICK);
        retry(ErrorCode.STORE_FAILED, "the account could not be stored; try again");
        break;
      case LOCKED:
        moveTo(State.AWAIT_NICK);
        retry(ErrorCode.TOO_MANY_ATTEMPTS, ErrorCode.TOO_MANY_ATTEMPTS.defaultReason());
        break;
    }
    connection.resume(Pause.PASSWORD_CHECK);
  }

  /** The connection is leaving: a password check it still waits for is not made for nobody. */
  private void cancelCheck() {
    if (check != null) {
      check.cancel();
      check = null;
    }
  }

  /** The password is right: sign in unless the name went online while it was checked. */
  private void signInChecked() {
    if (chat.directory().find(candidate) != null) {
      moveTo(State.AWAIT_NICK);
      retry(ErrorCode.NAME_TAKEN, candidate + " is already in use");
      return;
    }
    // The account's spelling is the one others see when it exists already.
    signIn(account == null ? candidate : account.name());
  }

  private void signIn(String wanted) {
    if (!chat.directory().claim(wanted, this)) {
      if (state != State.AWAIT_NICK) {
        moveTo(State.AWAIT_NICK);
      }
      retry(ErrorCode.NAME_TAKEN, wanted + " is already in use");
      return;
    }
    name = wanted;
    candidate = null;
    account = null;
    moveTo(State.READY);
    LOG.info("{} signed in from {}", name, connection.remoteAddress());
    reply(new ServerLine.Ready(name, chat.directory().size()));
    history.sendJoinHistory();
    chat.signedIn(this);
  }

  private void command(ClientLine line) {
    if (line instanceof ClientLine.PublicMessage) {
      composing = MessageKind.PM;
      moveTo(State.AWAIT_TEXT);
      reply(new ServerLine.Prompt(ServerLine.PromptKind.TEXT));
    } else if (line instanceof ClientLine.DirectMessage) {
      composing = MessageKind.DM;
      moveTo(State.AWAIT_RECIPIENT);
      reply(new ServerLine.Users(chat.directory().names()));
      reply(new ServerLine.Prompt(ServerLine.PromptKind.RECIPIENT));
    } else if (line instanceof ClientLine.ListUsers) {
      reply(new ServerLine.Users(chat.directory().names()));
    } else if (line instanceof ClientLine.ChatHistory) {
      // Answered in turn: it must include this session's own messages still in the store.
      replies.requestHistory(line);
    } else if (line instanceof ClientLine.Recipient r) {
      reply(unknownCommand(r));
    } else if (line instanceof ClientLine.Text) {
      reject(ErrorCode.NOT_EXPECTED, "no message in progress: send C PM or C DM first");
    } else {
      reject(ErrorCode.NOT_EXPECTED, "already signed in as " + name);
    }
  }

  private void recipient(ClientLine line) {
    if (!(line instanceof ClientLine.Recipient)) {
      reject(ErrorCode.NOT_EXPECTED, "expected the recipient as C <name>; the DM is cancelled");
      return;
    }
    String wanted = ((ClientLine.Recipient) line).name();
    Session target = chat.directory().find(wanted);
    if (target == null) {
      reject(ErrorCode.NOT_ONLINE, wanted + " is not online");
      return;
    }
    recipient = target;
    moveTo(State.AWAIT_TEXT);
    reply(new ServerLine.Prompt(ServerLine.PromptKind.TEXT));
  }

  private void text(ClientLine line) {
    if (line instanceof ClientLine.Recipient r) {
      backToCommands(); // as any bad line while composing: the PM/DM is dropped
      reply(unknownCommand(r));
      return;
    }
    if (!(line instanceof ClientLine.Text)) {
      reject(
          ErrorCode.NOT_EXPECTED,
          "expected the message as D <text>; the " + composing + " is cancelled");
      return;
    }
    String body = ((ClientLine.Text) line).text();
    ChatMessage message;
    if (composing == MessageKind.PM) {
      message = chat.sequencer().publicMessage(name, body);
    } else {
      // The user chosen at the C <name> step, not whoever holds the name now: someone who took
      // it after they left must not get a message meant for them.
      if (chat.directory().find(recipient.name()) != recipient) {
        reject(ErrorCode.NOT_ONLINE, recipient.name() + " is not online");
        return;
      }
      message = chat.sequencer().directMessage(name, recipient.name(), body);
    }
    Session to = recipient; // null for a PM
    backToCommands();
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} seq {} accepted", name, message.kind(), message.seq());
    }
    replies.awaitStore();
    chat.batcher().add(message, this, to);
  }

  private void exit() {
    leave("goodbye", QUIT);
  }

  /** Says {@code C BYE} after the answers still owed (messages in the store), then closes. */
  private void leave(String goodbye, String closeReason) {
    moveTo(State.CLOSED);
    connection.pause(Pause.CLOSING); // nothing more is read from a session that is leaving
    cancelCheck();
    composing = null;
    recipient = null;
    this.closeReason = closeReason;
    reply(new ServerLine.Bye(goodbye));
    replies.closeAfterReplies();
  }

  /** A single word that is no keyword, where no recipient is expected: 400 in every state. */
  private static ServerLine unknownCommand(ClientLine.Recipient word) {
    return new ServerLine.Error(ErrorCode.MALFORMED, "unknown command " + word.name());
  }

  /** A refused sign-in: the client tries {@code C NICK} again. */
  private void retry(ErrorCode code, String reason) {
    candidate = null;
    account = null;
    chat.signInRefused(code);
    reply(new ServerLine.Retry(code, reason));
  }

  /** An error answer; any PM/DM being composed is dropped and the session is back in commands. */
  private void reject(ErrorCode code, String reason) {
    if (state == State.AWAIT_RECIPIENT || state == State.AWAIT_TEXT) {
      backToCommands();
    }
    reply(new ServerLine.Error(code, reason));
  }

  private void backToCommands() {
    composing = null;
    recipient = null;
    moveTo(State.READY);
  }

  private void moveTo(State next) {
    if (!TRANSITIONS.get(state).contains(next)) {
      throw new IllegalStateException(state + " -> " + next + " for " + who());
    }
    state = next;
  }

  // ---- ordered replies ----

  private void reply(ServerLine line) {
    replies.reply(Wire.encode(line));
  }

  /** Where the reply queue sends what it releases. */
  private final class Replies implements ReplyQueue.Sink {
    @Override
    public void send(ByteBuffer line) {
      connection.enqueueReply(line);
    }

    @Override
    public void answerHistory(ClientLine request) {
      history.answer(request, name);
    }

    @Override
    public boolean hasRoomForHistory() {
      return connection.isWritable();
    }

    @Override
    public void closeAfterReplies() {
      connection.closeAfterFlush(closeReason);
    }

    @Override
    public void pauseInput() {
      connection.pause(Pause.REPLIES_HELD);
    }

    @Override
    public void resumeInput() {
      connection.resume(Pause.REPLIES_HELD);
    }
  }

  private String who() {
    return name != null ? name : String.valueOf(connection.remoteAddress());
  }

  /**
   * The remote host, for the sign-in throttle. Made when asked rather than kept: only password
   * sign-ins need it, and a string per idle connection would be memory for nothing.
   */
  private String address() {
    return hostOf(connection.remoteAddress());
  }

  private static String hostOf(SocketAddress remote) {
    if (remote instanceof InetSocketAddress) {
      return ((InetSocketAddress) remote).getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }
}
