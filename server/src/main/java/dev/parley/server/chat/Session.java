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
import dev.parley.server.net.Connection;
import dev.parley.server.net.ConnectionHandler;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state of one connection: sign-in, then commands, with a PM or DM in progress at most
 * one at a time. Loop thread only.
 *
 * <pre>
 *   AWAIT_NICK --C NICK ok--> READY --C PM--> AWAIT_TEXT --D--> READY (message to the store)
 *       ^  |                    |  \--C DM--> AWAIT_RECIPIENT --C name--> AWAIT_TEXT
 *       |  +--RETRY/412---------+        (any error in a PM/DM step: back to READY)
 *       +------ any state --C EX / close--> CLOSED
 * </pre>
 *
 * <p>Replies keep the order of the lines they answer even though a message's {@code C SENT} waits
 * for the store: while messages are in flight, later replies are held behind them in {@code held}
 * and released as the store confirms. Deliveries of other users' messages and notices are not
 * replies and go straight to the queue.
 */
final class Session implements ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  /** Messages a session may have waiting for the store before it is read from no further. */
  static final int MAX_IN_FLIGHT = 64;

  /** Direct messages kept for {@code C CH} without accounts (this connection's own DMs). */
  static final int MAX_DIRECT_LOG = ClientLine.ChatHistory.MAX_COUNT;

  enum State {
    AWAIT_NICK,
    READY,
    AWAIT_RECIPIENT,
    AWAIT_TEXT,
    CLOSED
  }

  private static final Map<State, EnumSet<State>> TRANSITIONS = new EnumMap<>(State.class);

  static {
    TRANSITIONS.put(State.AWAIT_NICK, EnumSet.of(State.READY, State.CLOSED));
    TRANSITIONS.put(State.READY, EnumSet.of(State.AWAIT_TEXT, State.AWAIT_RECIPIENT, State.CLOSED));
    TRANSITIONS.put(State.AWAIT_RECIPIENT, EnumSet.of(State.AWAIT_TEXT, State.READY, State.CLOSED));
    TRANSITIONS.put(State.AWAIT_TEXT, EnumSet.of(State.READY, State.CLOSED));
    TRANSITIONS.put(State.CLOSED, EnumSet.noneOf(State.class));
  }

  /** The close reason of a session that sent {@code C EX}; others see a LEAVE without reason. */
  static final String QUIT = "quit";

  /** Marks the place of a message's {@code C SENT} among held replies. */
  private static final Object AWAITING_STORE = new Object();

  private final Connection connection;
  private final ChatService chat;
  private State state = State.AWAIT_NICK;
  private String name; // as spelled at sign-in; null before READY
  private MessageKind composing; // the PM or DM whose text is awaited
  private String recipient; // the DM recipient's name as they spelled it
  private int inFlight; // this session's messages submitted and not yet answered by the store
  private final ArrayDeque<Object> held = new ArrayDeque<>(); // replies behind in-flight messages
  private ArrayDeque<StoredMessage> directLog; // DMs sent or received since sign-in; lazily made
  private boolean closed; // the connection is gone; late store answers are dropped

  Session(Connection connection, ChatService chat) {
    this.connection = connection;
    this.chat = chat;
  }

  String name() {
    return name;
  }

  State state() {
    return state;
  }

  // ---- ConnectionHandler ----

  @Override
  public boolean acceptsInput() {
    return state != State.CLOSED && inFlight < MAX_IN_FLIGHT;
  }

  @Override
  public void onFrame(Frame frame) {
    if (frame instanceof Frame.Fault) {
      Frame.Fault fault = (Frame.Fault) frame;
      reject(fault.code(), fault.reason());
      return;
    }
    String text = ((Frame.Text) frame).text();
    ClientLine line;
    try {
      line = ClientLine.parse(text);
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
  public void onClose(String reason) {
    closed = true;
    state = State.CLOSED;
    held.clear();
    directLog = null;
    if (name != null) {
      chat.signedOut(this, reason);
      LOG.info("{} left ({})", name, reason);
    } else {
      LOG.info("connection from {} closed ({})", connection.remoteAddress(), reason);
    }
  }

  // ---- called by the router and the store batcher ----

  /** Queues a delivered message or notice; not a reply, so it is never held. */
  void deliver(ByteBuffer line) {
    connection.enqueue(line);
  }

  /** The store took one of this session's messages; its answer takes its place in order. */
  void confirmStored(ServerLine answer) {
    if (closed) {
      return;
    }
    inFlight--;
    // Completions come back in submission order, so the first marker is this message's place.
    Object head = held.pollFirst();
    if (head != AWAITING_STORE) {
      throw new IllegalStateException("store answer out of order for " + who());
    }
    connection.enqueue(Wire.encode(answer));
    releaseHeld();
    if (inFlight == MAX_IN_FLIGHT - 1) {
      connection.resumeInput();
    }
  }

  void refuseUnstored(ChatMessage message) {
    confirmStored(ServerLine.Error.of(ErrorCode.STORE_FAILED));
  }

  void rememberDirect(StoredMessage message) {
    if (closed) {
      return;
    }
    if (directLog == null) {
      directLog = new ArrayDeque<>();
    }
    directLog.addLast(message);
    if (directLog.size() > MAX_DIRECT_LOG) {
      directLog.removeFirst();
    }
  }

  // ---- the state machine ----

  private void handle(ClientLine line) {
    // Honoured in every state; PING and PONG leave a PM/DM in progress as it is.
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
    switch (state) {
      case AWAIT_NICK:
        signIn(line);
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
      case CLOSED:
        break;
    }
  }

  private void signIn(ClientLine line) {
    if (!(line instanceof ClientLine.Nick)) {
      reply(new ServerLine.Error(ErrorCode.NOT_EXPECTED, "sign in first with C NICK <name>"));
      return;
    }
    String wanted = ((ClientLine.Nick) line).name();
    String problem = Names.problem(wanted);
    if (problem != null) {
      reply(new ServerLine.Retry(ErrorCode.INVALID_NAME, problem));
      return;
    }
    if (!chat.directory().claim(wanted, this)) {
      reply(new ServerLine.Retry(ErrorCode.NAME_TAKEN, wanted + " is already in use"));
      return;
    }
    name = wanted;
    moveTo(State.READY);
    LOG.info("{} signed in from {}", name, connection.remoteAddress());
    reply(new ServerLine.Ready(name, chat.directory().size()));
    sendHistory(chat.recentPublic(chat.historyOnJoin()));
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
      int count = ((ClientLine.ChatHistory) line).effectiveCount();
      if (held.isEmpty()) {
        sendHistory(visibleHistory(count));
      } else {
        // The answer must include this session's messages still in the store: decide it later.
        held.addLast(new DeferredHistory(count));
      }
    } else if (line instanceof ClientLine.Recipient) {
      reject(ErrorCode.MALFORMED, "unknown command " + ((ClientLine.Recipient) line).name());
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
    recipient = target.name();
    moveTo(State.AWAIT_TEXT);
    reply(new ServerLine.Prompt(ServerLine.PromptKind.TEXT));
  }

  private void text(ClientLine line) {
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
      Session target = chat.directory().find(recipient);
      if (target == null) {
        reject(ErrorCode.NOT_ONLINE, recipient + " is not online");
        return;
      }
      message = chat.sequencer().directMessage(name, target.name(), body);
    }
    backToCommands();
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} seq {} accepted", name, message.kind(), message.seq());
    }
    inFlight++;
    held.addLast(AWAITING_STORE);
    chat.batcher().add(message, this);
  }

  private void exit() {
    composing = null;
    recipient = null;
    moveTo(State.CLOSED);
    ByteBuffer bye = Wire.encode(new ServerLine.Bye("goodbye"));
    if (held.isEmpty()) {
      connection.enqueue(bye);
      connection.closeAfterFlush(QUIT);
    } else {
      // Messages still in the store: the goodbye comes after their confirmations.
      held.addLast(bye);
      held.addLast(ExitMarker.INSTANCE);
    }
  }

  private enum ExitMarker {
    INSTANCE
  }

  /** A {@code C CH} that arrived behind in-flight messages, answered when they are stored. */
  private record DeferredHistory(int count) {}

  /** An error answer; any PM/DM in progress is dropped and the session is back in command mode. */
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

  private void reply(ServerLine line) {
    ByteBuffer encoded = Wire.encode(line);
    if (held.isEmpty()) {
      connection.enqueue(encoded);
    } else {
      held.addLast(encoded);
    }
  }

  private void releaseHeld() {
    while (!held.isEmpty() && held.peekFirst() != AWAITING_STORE) {
      Object next = held.pollFirst();
      if (next == ExitMarker.INSTANCE) {
        connection.closeAfterFlush(QUIT);
        held.clear();
        return;
      }
      if (next instanceof DeferredHistory) {
        sendHistory(visibleHistory(((DeferredHistory) next).count()));
      } else {
        connection.enqueue((ByteBuffer) next);
      }
    }
  }

  /** Sends {@code C HISTORY k} and the messages; callers make sure no reply is held. */
  private void sendHistory(List<StoredMessage> messages) {
    connection.enqueue(Wire.encode(new ServerLine.History(messages.size())));
    for (StoredMessage m : messages) {
      connection.enqueue(m.wire());
    }
  }

  /** Public history merged with this connection's own DMs by seq; the last {@code n}. */
  private List<StoredMessage> visibleHistory(int n) {
    List<StoredMessage> publicPart = chat.recentPublic(n);
    if (directLog == null || directLog.isEmpty()) {
      return publicPart;
    }
    List<StoredMessage> merged = new ArrayList<>(publicPart.size() + directLog.size());
    int i = 0;
    for (StoredMessage dm : directLog) {
      while (i < publicPart.size() && publicPart.get(i).seq() < dm.seq()) {
        merged.add(publicPart.get(i++));
      }
      merged.add(dm);
    }
    while (i < publicPart.size()) {
      merged.add(publicPart.get(i++));
    }
    return merged.size() <= n ? merged : merged.subList(merged.size() - n, merged.size());
  }

  private String who() {
    return name != null ? name : String.valueOf(connection.remoteAddress());
  }
}
