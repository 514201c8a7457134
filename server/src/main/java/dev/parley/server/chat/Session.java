package dev.parley.server.chat;

import dev.parley.net.LineHandler;
import dev.parley.net.Pause;
import dev.parley.net.Peer;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frame;
import dev.parley.protocol.MessageKind;
import dev.parley.protocol.Names;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.RoomNames;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one connection: sign-in, then commands, with at most one PM or DM
 * being composed; each line is dispatched by state. Its parts: {@link PasswordSignIn} (the password
 * steps when accounts are on), {@link TimeLimits} (sign-in deadline, idle PING, rate), {@link
 * SessionHistory} (history answers) and a {@link ReplyQueue} (replies in order); the room it posts
 * to is the {@link ChatService}. Loop thread only.
 *
 * <pre>
 *   AWAIT_NICK --NICK--> READY                      (accounts off)
 *   AWAIT_NICK --NICK--> AWAIT_PASS --PASS--> CHECKING_PASS --ok--> READY
 *        ^                    |                     |
 *        +--- RETRY / 412 ----+---- RETRY 401/409 --+
 *   READY --C PM--> AWAIT_TEXT --D--> READY         (message goes to the store)
 *   READY --C DM--> AWAIT_RECIPIENT --C name--> AWAIT_TEXT
 *   any error while composing: back to READY
 *   C EX, end of input, a deadline or shutdown, from any state: LEAVING (C BYE after the answers
 *   still owed, nothing more read)
 *   the connection closed, from any state (LEAVING included): GONE (out of the room, late answers
 *   dropped)
 * </pre>
 *
 * <p>Replies keep the order of the lines they answer although some answers wait for other threads
 * (a message's {@code C SENT} for the store, an account's history for a query): while such an
 * answer is pending, later replies are held behind it (a {@link ReplyQueue}) and released when it
 * arrives. Deliveries of other users' messages and notices are not replies and go straight to the
 * connection's queue.
 */
final class Session implements LineHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  /** The close reason of a session that sent {@code C EX}; others see a LEAVE without reason. */
  static final String QUIT = "quit";

  enum State {
    AWAIT_NICK,
    AWAIT_PASS,
    CHECKING_PASS,
    READY,
    AWAIT_RECIPIENT,
    AWAIT_TEXT,
    /** Saying goodbye: {@code C BYE} after the answers still owed, then the close. */
    LEAVING,
    /** The connection is closed and the session out of the room. */
    GONE
  }

  private static final Map<State, EnumSet<State>> TRANSITIONS = new EnumMap<>(State.class);

  static {
    TRANSITIONS.put(State.AWAIT_NICK, EnumSet.of(State.AWAIT_PASS, State.READY));
    TRANSITIONS.put(State.AWAIT_PASS, EnumSet.of(State.AWAIT_NICK, State.CHECKING_PASS));
    TRANSITIONS.put(State.CHECKING_PASS, EnumSet.of(State.AWAIT_NICK, State.READY));
    TRANSITIONS.put(State.READY, EnumSet.of(State.AWAIT_TEXT, State.AWAIT_RECIPIENT));
    TRANSITIONS.put(State.AWAIT_RECIPIENT, EnumSet.of(State.AWAIT_TEXT, State.READY));
    TRANSITIONS.put(State.AWAIT_TEXT, EnumSet.of(State.READY));
    TRANSITIONS.put(State.LEAVING, EnumSet.noneOf(State.class));
    TRANSITIONS.put(State.GONE, EnumSet.noneOf(State.class));
    for (State s : State.values()) {
      if (s != State.LEAVING && s != State.GONE) {
        TRANSITIONS.get(s).add(State.LEAVING); // any state may leave
      }
      if (s != State.GONE) {
        TRANSITIONS.get(s).add(State.GONE); // and any may be closed under it
      }
    }
  }

  private final Peer connection; // a net.Connection in the server
  private final ChatService room;
  private final PasswordSignIn passwords; // null when accounts are off
  private final TimeLimits limits;
  private State state = State.AWAIT_NICK;
  private String name; // as spelled at sign-in; null before READY
  private MessageKind composing; // the PM or DM whose text is awaited
  private Session recipient; // the DM's recipient, fixed at the C <name> step
  private Room composingIn; // the room of the PM being composed; null for #main
  private String shownRoom; // #main when the PM being composed named it, for its C SENT
  private Map<String, Room>
      joined; // rooms other than #main, by case-folded name; made on first join
  private String closeReason; // why the session is leaving, once it is
  private final Replies out = new Replies();
  private final ReplyQueue replies = new ReplyQueue(out);
  private final SessionHistory history;

  Session(
      Peer connection,
      ChatService room,
      RoomHistory past,
      PasswordSignIn passwords,
      TimeLimits limits) {
    this.connection = connection;
    this.room = room;
    this.passwords = passwords;
    this.limits = limits;
    this.history = new SessionHistory(past, replies, out);
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

  /** True once the connection is closed: a room read for it meanwhile must not take it in. */
  boolean isGone() {
    return state == State.GONE;
  }

  /** The rooms other than {@code #main} it is in, forgotten here: the connection is gone. */
  List<Room> leaveRooms() {
    if (joined == null) {
      return List.of();
    }
    List<Room> rooms = new ArrayList<>(joined.values());
    joined = null;
    return rooms;
  }

  /** Replies held behind an answer that is still pending; tests check it stays bounded. */
  int heldReplies() {
    return replies.size();
  }

  // ---- LineHandler ----

  @Override
  public void onFrame(Frame frame) {
    limits.lineArrived(connection.now());
    if (frame instanceof Frame.Fault fault) {
      reject(fault.code(), fault.reason());
    } else if (frame instanceof Frame.Text text) {
      parseAndHandle(text.text());
    }
  }

  private void parseAndHandle(String text) {
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
  public void onWritable() {
    replies.outputDrained(); // history answers waiting for room go on
  }

  @Override
  public void onEndOfInput() {
    // Answer everything received, as for C EX, but others see that the connection went.
    if (!isLeavingOrGone()) {
      leave("end of input", "connection closed");
    }
  }

  @Override
  public void onClose(String reason) {
    moveTo(State.GONE);
    if (passwords != null) {
      passwords.cancel();
    }
    replies.discard();
    limits.stop();
    history.forget();
    room.leave(this, reason);
    if (name != null) {
      LOG.info("{} left ({})", name, reason);
    } else if (DisconnectReason.of(reason).beforeTransport()) {
      room.logTransportFailure(connection.remoteAddress(), reason);
    } else {
      LOG.info("connection from {} closed ({})", connection.remoteAddress(), reason);
    }
  }

  // ---- called by the room's housekeeping and shutdown ----

  /**
   * Enforces the sign-in deadline (less the time {@link PasswordSignIn} excuses) and the idle rule:
   * {@code C PING} after {@code idleNanos} of silence, dropped after as much again.
   */
  void checkTimeouts(long now, long idleNanos, long signInNanos) {
    if (isLeavingOrGone()) {
      return;
    }
    boolean signedIn = isSignedIn();
    long excused = signedIn || passwords == null ? 0 : passwords.excusedNanos(now);
    switch (limits.check(now, idleNanos, signInNanos, signedIn, excused)) {
      case PING -> connection.enqueue(Wire.encode(new ServerLine.Ping(Long.toHexString(now))));
      case SIGN_IN_TIMEOUT -> leave("sign-in timeout", "sign-in timeout");
      case PING_TIMEOUT -> leave("ping timeout", "ping timeout");
      case NOTHING -> {}
    }
  }

  /** The server is going down: goodbye after the answers still owed, then close. */
  void serverClosing() {
    if (!isLeavingOrGone()) {
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
    if (state != State.GONE) {
      history.rememberDirect(message);
    }
  }

  // ---- the state machine ----

  private void handle(ClientLine line) {
    // Honoured in every state; PING and PONG leave a PM/DM being composed as it is.
    if (line instanceof ClientLine.Ping ping) {
      reply(new ServerLine.Pong(ping.token()));
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
      String word =
          line instanceof ClientLine.Seq seq
              ? seq.room()
              : ((ClientLine.ChatHistorySince) line).room();
      requestHistory(line, word);
      return;
    }
    switch (state) {
      case AWAIT_NICK -> nick(line);
      case AWAIT_PASS -> password(line);
      case READY -> command(line);
      case AWAIT_RECIPIENT -> recipient(line);
      case AWAIT_TEXT -> text(line);
      case CHECKING_PASS, LEAVING, GONE -> {}
    }
  }

  private boolean isSignedIn() {
    return state == State.READY || state == State.AWAIT_RECIPIENT || state == State.AWAIT_TEXT;
  }

  private boolean isLeavingOrGone() {
    return state == State.LEAVING || state == State.GONE;
  }

  private void nick(ClientLine line) {
    if (line instanceof ClientLine.Recipient r) {
      reply(unknownCommand(r));
      return;
    }
    if (!(line instanceof ClientLine.Nick nick)) {
      reply(new ServerLine.Error(ErrorCode.NOT_EXPECTED, "sign in first with C NICK <name>"));
      return;
    }
    String wanted = nick.name();
    String problem = Names.problem(wanted);
    if (problem != null) {
      retry(ErrorCode.INVALID_NAME, problem);
      return;
    }
    PasswordSignIn.Refused locked = passwords == null ? null : passwords.lockedOut(wanted);
    if (locked != null) {
      retry(locked);
      return;
    }
    if (room.online(wanted) != null) {
      retry(ErrorCode.NAME_TAKEN, wanted + " is already in use");
      return;
    }
    if (passwords == null) {
      signIn(wanted);
      return;
    }
    ServerLine.PasswordKind kind = passwords.ask(wanted);
    moveTo(State.AWAIT_PASS);
    reply(new ServerLine.PasswordRequest(kind));
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
    String password = ((ClientLine.Pass) line).password();
    PasswordSignIn.Refused refused = passwords.refusal(password);
    if (refused != null) {
      moveTo(State.AWAIT_NICK);
      retry(refused);
      return;
    }
    moveTo(State.CHECKING_PASS);
    passwords.check(password, this::checked);
  }

  /** The password check is over: its answer, in the order of the lines. */
  private void checked(PasswordSignIn.Verdict verdict) {
    if (verdict instanceof PasswordSignIn.Refused refused) {
      moveTo(State.AWAIT_NICK);
      retry(refused);
      return;
    }
    PasswordSignIn.Accepted accepted = (PasswordSignIn.Accepted) verdict;
    // The name may have gone online while the password was checked.
    if (room.online(accepted.asked()) != null) {
      moveTo(State.AWAIT_NICK);
      retry(ErrorCode.NAME_TAKEN, accepted.asked() + " is already in use");
      return;
    }
    signIn(accepted.name());
  }

  private void signIn(String wanted) {
    if (!room.join(this, wanted)) {
      if (state != State.AWAIT_NICK) {
        moveTo(State.AWAIT_NICK);
      }
      retry(ErrorCode.NAME_TAKEN, wanted + " is already in use");
      return;
    }
    name = wanted;
    if (passwords != null) {
      passwords.forget();
    }
    moveTo(State.READY);
    LOG.info("{} signed in from {}", name, connection.remoteAddress());
    reply(new ServerLine.Ready(name, room.usersOnline()));
    history.sendJoinHistory();
  }

  private void command(ClientLine line) {
    if (line instanceof ClientLine.PublicMessage pm) {
      publicMessage(pm.room());
    } else if (line instanceof ClientLine.Join join) {
      joinRoom(join.room());
    } else if (line instanceof ClientLine.Part part) {
      partRoom(part.room());
    } else if (line instanceof ClientLine.Rooms) {
      reply(new ServerLine.Rooms(room.roomNames(ClientLine.ChatHistory.MAX_COUNT)));
    } else if (line instanceof ClientLine.Topic topic) {
      topic(topic);
    } else if (line instanceof ClientLine.ListUsers list && list.room() != null) {
      listRoom(list.room());
    } else if (line instanceof ClientLine.ChatHistory ch && ch.room() != null) {
      requestHistory(line, ch.room());
    } else if (line instanceof ClientLine.DirectMessage) {
      composing = MessageKind.DM;
      moveTo(State.AWAIT_RECIPIENT);
      reply(new ServerLine.Users(room.names()));
      reply(new ServerLine.Prompt(ServerLine.PromptKind.RECIPIENT));
    } else if (line instanceof ClientLine.ListUsers) {
      reply(new ServerLine.Users(room.names()));
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
    if (!(line instanceof ClientLine.Recipient to)) {
      reject(ErrorCode.NOT_EXPECTED, "expected the recipient as C <name>; the DM is cancelled");
      return;
    }
    String wanted = to.name();
    Session target = room.online(wanted);
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
    // The user chosen at the C <name> step, not whoever holds the name now: someone who took it
    // after they left must not get a message meant for them.
    if (composing == MessageKind.DM && room.online(recipient.name()) != recipient) {
      reject(ErrorCode.NOT_ONLINE, recipient.name() + " is not online");
      return;
    }
    String body = ((ClientLine.Text) line).text();
    Session to = recipient; // null for a PM
    Room in = composingIn;
    String shown = shownRoom;
    backToCommands();
    replies.awaitStore(); // the C SENT comes back in this message's place
    ChatMessage message =
        to != null
            ? room.direct(this, to, body)
            : in != null ? room.publishIn(in, this, body) : room.publish(this, body, shown);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} seq {} accepted", name, message.kind(), message.seq());
    }
  }

  // ---- rooms (protocol section 12) ----

  /** {@code C PM [<room>]}: the text comes next. */
  private void publicMessage(String word) {
    Room in = null;
    if (word != null && !RoomNames.isMain(word)) {
      in = memberRoom(word);
      if (in == null) {
        return; // answered 422 or 403
      }
    }
    composing = MessageKind.PM;
    composingIn = in;
    shownRoom = word == null || in != null ? null : RoomNames.MAIN;
    moveTo(State.AWAIT_TEXT);
    reply(new ServerLine.Prompt(ServerLine.PromptKind.TEXT));
  }

  /**
   * A history request ({@code C CH}, {@code C CH SINCE}, {@code C SEQ}) about {@code word}: {@code
   * #main} when null or {@code #main}, else a room the user must be in.
   */
  private void requestHistory(ClientLine line, String word) {
    if (word == null || RoomNames.isMain(word)) {
      replies.requestHistory(line, null);
      return;
    }
    Room in = memberRoom(word);
    if (in != null) {
      replies.requestHistory(line, in);
    }
  }

  /**
   * The room {@code word} names when this user is in it; otherwise answers 422 (no room name) or
   * 403 (not in it) and returns null.
   */
  private Room memberRoom(String word) {
    String problem = RoomNames.problem(word);
    if (problem != null) {
      reject(ErrorCode.INVALID_NAME, problem);
      return null;
    }
    Room in = joined == null ? null : joined.get(RoomNames.key(word));
    if (in == null) {
      reject(ErrorCode.NOT_IN_ROOM, "not in " + word + "; C JOIN " + word + " first");
    }
    return in;
  }

  /** The room word of JOIN, PART or TOPIC, required: a missing or invalid one is 422. */
  private boolean validRoomWord(String word) {
    String problem = RoomNames.problem(word);
    if (problem != null) {
      reject(ErrorCode.INVALID_NAME, problem);
      return false;
    }
    return true;
  }

  private void joinRoom(String word) {
    if (!validRoomWord(word)) {
      return;
    }
    if (RoomNames.isMain(word)) {
      reply(
          new ServerLine.Joined(
              RoomNames.MAIN, history.mainEpoch(), history.mainLastSeq(), room.usersOnline()));
      return;
    }
    Room already = joined == null ? null : joined.get(RoomNames.key(word));
    if (already != null) {
      reply(joinedLine(already)); // tells nobody
      return;
    }
    int in = 1 + (joined == null ? 0 : joined.size()); // #main counted
    if (in >= room.maxRoomsPerUser()) {
      reject(
          ErrorCode.TOO_MANY_ROOMS,
          "in " + in + " rooms already, the most one may be in; C PART one first");
      return;
    }
    // Until the room is read from the store nothing more is read from this client: a C PM to the
    // room right behind the JOIN must find it joined.
    replies.awaitRoom();
    connection.pause(Pause.ROOM_LOADING);
    boolean admitted =
        room.join(
            this,
            word,
            new Room.Joiner() {
              @Override
              public void joined(Room r) {
                if (joined == null) {
                  joined = new HashMap<>();
                }
                joined.put(r.key(), r);
                connection.resume(Pause.ROOM_LOADING);
                replies.roomAnswered(Wire.encode(joinedLine(r)));
              }

              @Override
              public void failed() {
                connection.resume(Pause.ROOM_LOADING);
                replies.roomAnswered(
                    Wire.encode(
                        new ServerLine.Error(
                            ErrorCode.STORE_FAILED, word + " cannot be opened right now")));
              }
            });
    if (!admitted) {
      connection.resume(Pause.ROOM_LOADING);
      replies.roomAnswered(
          Wire.encode(
              new ServerLine.Error(
                  ErrorCode.TOO_MANY_ROOMS, "the server has as many rooms in use as it allows")));
    }
  }

  private static ServerLine joinedLine(Room r) {
    return new ServerLine.Joined(r.name(), r.epoch(), r.lastStoredSeq(), r.size());
  }

  private void partRoom(String word) {
    if (!validRoomWord(word)) {
      return;
    }
    if (RoomNames.isMain(word)) {
      reject(ErrorCode.NOT_EXPECTED, "everyone is in #main until signing out (C EX)");
      return;
    }
    Room in = joined == null ? null : joined.remove(RoomNames.key(word));
    if (in == null) {
      reply(new ServerLine.Parted(word)); // not in it: tells nobody
      return;
    }
    room.part(this, in, false);
    reply(new ServerLine.Parted(in.name()));
  }

  private void listRoom(String word) {
    if (RoomNames.isMain(word)) {
      reply(new ServerLine.Users(room.names(), RoomNames.MAIN));
      return;
    }
    String problem = RoomNames.problem(word);
    if (problem != null) {
      reject(ErrorCode.INVALID_NAME, problem);
      return;
    }
    Room r = room.roomInUse(word);
    reply(
        r == null || !r.isLoaded()
            ? new ServerLine.Users(List.of(), word)
            : new ServerLine.Users(r.memberNames(), r.name()));
  }

  private void topic(ClientLine.Topic topic) {
    if (!validRoomWord(topic.room())) {
      return;
    }
    if (RoomNames.isMain(topic.room())) {
      if (topic.text() != null) {
        reject(ErrorCode.NOT_EXPECTED, "#main has no topic");
      } else {
        reply(new ServerLine.Topic(RoomNames.MAIN, null, null));
      }
      return;
    }
    Room in = memberRoom(topic.room());
    if (in == null) {
      return;
    }
    if (topic.text() != null) {
      replies.awaitStore(); // the answer, and everyone else's line, once the store has it
      room.setTopic(in, this, topic.text());
    } else {
      // Read in turn, so it shows a topic this session set just before and the store took.
      replies.requestHistory(topic, in);
    }
  }

  private void exit() {
    leave("goodbye", QUIT);
  }

  /** Says {@code C BYE} after the answers still owed (messages in the store), then closes. */
  private void leave(String goodbye, String closeReason) {
    moveTo(State.LEAVING);
    connection.pause(Pause.CLOSING); // nothing more is read from a session that is leaving
    if (passwords != null) {
      passwords.cancel();
    }
    composing = null;
    recipient = null;
    composingIn = null;
    shownRoom = null;
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
    if (passwords != null) {
      passwords.forget();
    }
    reply(new ServerLine.Retry(code, reason));
  }

  private void retry(PasswordSignIn.Refused refused) {
    retry(refused.code(), refused.reason());
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
    composingIn = null;
    shownRoom = null;
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
    public void answerHistory(ClientLine request, Room about) {
      if (request instanceof ClientLine.Topic) {
        send(
            Wire.encode(
                new ServerLine.Topic(about.name(), about.topicSetter(), about.topicText())));
      } else {
        history.answer(request, name, about);
      }
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
}
