package dev.parley.server.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.net.EventLoop;
import dev.parley.net.Pause;
import dev.parley.net.PromptPeer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pair's rules without sockets: participants over recording links, timers on a manual clock.
 * "Reading" a link hands the bytes the test put in its kernel buffer to the participant, as the
 * connection would.
 */
class ClassroomPairTest {
  private static final long QUIET_NANOS = 100_000_000L;

  /** Timers that run when the test moves the clock. */
  private static final class ManualScheduler implements Scheduler {
    private final List<long[]> deadlines = new ArrayList<>(); // {deadline, id}
    private final List<Runnable> actions = new ArrayList<>();
    private long now;

    @Override
    public Runnable schedule(long delayNanos, Runnable action) {
      long[] entry = {now + delayNanos, actions.size()};
      deadlines.add(entry);
      actions.add(action);
      return () -> deadlines.remove(entry);
    }

    void advance(long nanos) {
      now += nanos;
      for (Iterator<long[]> it = new ArrayList<>(deadlines).iterator(); it.hasNext(); ) {
        long[] entry = it.next();
        if (entry[0] <= now && deadlines.remove(entry)) {
          actions.get((int) entry[1]).run();
        }
      }
    }
  }

  /** A link that records what is sent and holds "kernel" bytes until the participant reads. */
  private static final class FakeLink implements PromptPeer {
    final List<String> sent = new ArrayList<>();
    final ByteArrayOutputStream kernel = new ByteArrayOutputStream();
    Participant participant;
    boolean closing;
    final EnumSet<Pause> pauses = EnumSet.noneOf(Pause.class);
    boolean writable = true;
    boolean hungUp; // the client closed: after its bytes, a read finds the end of stream
    boolean endOfStreamSeen;

    @Override
    public boolean enqueue(ByteBuffer line) {
      // Shared with the other link, as in the server: read a duplicate, never move it.
      sent.add(StandardCharsets.UTF_8.decode(line.duplicate()).toString().replace("\n", ""));
      return true;
    }

    @Override
    public void enqueueReply(ByteBuffer line) {
      enqueue(line);
    }

    @Override
    public void pause(Pause reason) {
      pauses.add(reason);
    }

    @Override
    public void resume(Pause reason) {
      pauses.remove(reason);
    }

    @Override
    public boolean isPaused() {
      return !pauses.isEmpty();
    }

    @Override
    public boolean isWritable() {
      return writable;
    }

    @Override
    public long peakPendingBytes() {
      return 0;
    }

    @Override
    public long now() {
      throw new UnsupportedOperationException("the pair keeps time through its Scheduler");
    }

    @Override
    public EventLoop.Timer schedule(long delayNanos, Runnable action) {
      throw new UnsupportedOperationException("the pair keeps time through its Scheduler");
    }

    @Override
    public SocketAddress remoteAddress() {
      return null;
    }

    @Override
    public void readNow() {
      read();
    }

    @Override
    public void closeAfterFlush(String reason) {
      closing = true;
      pauses.add(Pause.CLOSING);
    }

    @Override
    public long pendingBytes() {
      return 0;
    }

    void arrive(String bytes) {
      kernel.writeBytes(bytes.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes arrive and the socket turns readable at once. */
    void arriveAndRead(String bytes) {
      arrive(bytes);
      read();
    }

    /** What the loop does when the socket is readable: hand the bytes over if input is wanted. */
    void read() {
      if (kernel.size() > 0 && !isPaused()) {
        ByteBuffer buffer = ByteBuffer.wrap(kernel.toByteArray());
        kernel.reset();
        participant.onBytes(buffer);
        kernel.writeBytes(Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit()));
      } else if (hungUp && kernel.size() == 0 && !endOfStreamSeen && !isPaused()) {
        endOfStreamSeen = true;
        participant.onEndOfInput();
      }
    }

    /** The client closes; the loop sees it only if it reads (now, or when a later read comes). */
    void hangUp() {
      hungUp = true;
    }
  }

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final ArrivalOrder arrivals = new ArrivalOrder();
  private final List<ClassroomPair> ended = new ArrayList<>();
  private FakeLink x;
  private FakeLink y;
  private ClassroomPair pair;

  @BeforeEach
  void setUp() {
    x = new FakeLink();
    y = new FakeLink();
  }

  private void startPair(boolean relay) {
    startPair(relay, Duration.ZERO);
  }

  private void startPair(boolean relay, Duration pairTimeout) {
    pair =
        new ClassroomPair(
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            arrivals,
            scheduler,
            relay,
            pairTimeout,
            ended::add);
  }

  private Participant participant(FakeLink link) {
    Participant p = new Participant(link, new MessageFramer(4096), scheduler, QUIET_NANOS, q -> {});
    link.participant = p;
    return p;
  }

  private List<String> printedLines() {
    return List.of(printed.toString(StandardCharsets.UTF_8).split("\n"));
  }

  private void seatBoth() {
    pair.seat(participant(x));
    pair.seat(participant(y));
  }

  private void startSeatedPair(boolean relay) {
    startPair(relay);
    seatBoth();
  }

  @Test
  void nothingIsReadFromXUntilYIsSeated() {
    startPair(false);
    pair.seat(participant(x));
    x.arriveAndRead("Client X: Alice\n");
    assertEquals(16, x.kernel.size(), "X was read before Y was connected");
    assertEquals(List.of(), x.sent);

    pair.seat(participant(y));

    assertEquals(0, x.kernel.size());
    assertEquals(List.of("Client X connected"), x.sent);
    assertEquals(List.of("Client Y connected"), y.sent);
  }

  @Test
  void theMessageWhoseFirstBytesWereReadFirstComesFirstEvenIfItEndsLater() {
    startSeatedPair(false);
    x.arrive("Client X: Alice"); // no line end: ends only after the quiet period
    x.read();
    y.arriveAndRead("Client Y: Bob\n");
    scheduler.advance(QUIET_NANOS);

    assertEquals("X: Alice received before Y: Bob", x.sent.get(1));
    assertEquals("X: Alice received before Y: Bob", y.sent.get(1));
    // Printed in arrival order although Y's message was complete first.
    assertEquals(
        List.of(
            "Accepted first connection, calling it client X",
            "Accepted second connection, calling it client Y",
            "Waiting to receive messages from client X and client Y....",
            "Client X: Alice",
            "Client Y: Bob",
            "Sent acknowledgment to both X and Y"),
        printedLines());
  }

  @Test
  void twoMessagesReadInOneIterationAreOrderedByWhichWasReadFirst() {
    startSeatedPair(false);
    y.arrive("Client Y: Bob\n");
    x.arrive("Client X: Alice\n");
    // One select reported both; the loop happened to dispatch Y first.
    y.read();
    x.read();

    assertEquals("Y: Bob received before X: Alice", x.sent.get(1));
    assertTrue(x.closing && y.closing, "without relay the pair closes after the acknowledgment");
  }

  @Test
  void aMessageSentBeforeYConnectedIsReadBeforeYsQuickAnswer() {
    startPair(false);
    pair.seat(participant(x));
    x.arrive("Client X: Alice");
    pair.seat(participant(y)); // X's waiting bytes are read right here
    y.arriveAndRead("Client Y: Bob\n");
    scheduler.advance(QUIET_NANOS);

    assertEquals("X: Alice received before Y: Bob", y.sent.get(1));
  }

  @Test
  void aClientGetsNoFurtherInputReadUntilTheAcknowledgment() {
    startSeatedPair(true);
    x.arriveAndRead("Client X: Alice\nsecond\n");
    assertEquals(7, x.kernel.size(), "second was taken before the acknowledgment");
    assertEquals(EnumSet.of(Pause.NOT_ITS_TURN), x.pauses);

    y.arriveAndRead("Client Y: Bob\n");
    x.read(); // relaying: what X sent early is relayed now

    assertEquals(
        List.of("Client Y connected", "X: Alice received before Y: Bob", "X: second"), y.sent);
  }

  @Test
  void relayGoesBothWaysUntilByeThenByeToBothAndDone() {
    startSeatedPair(true);
    x.arriveAndRead("Client X: Alice\n");
    y.arriveAndRead("Client Y: Bob\n");
    x.arriveAndRead("hello\nClient X: labelled\n");
    y.arrive("hi"); // no line end
    y.read();
    scheduler.advance(QUIET_NANOS);
    y.arriveAndRead("Bye\r\n");

    assertEquals(
        List.of("Client X connected", "X: Alice received before Y: Bob", "Y: hi", "Bye"), x.sent);
    assertEquals(
        List.of(
            "Client Y connected",
            "X: Alice received before Y: Bob",
            "X: hello",
            "X: Client X: labelled",
            "Bye"),
        y.sent);
    assertTrue(x.closing && y.closing);
    assertEquals(List.of(), ended);

    x.participant.onClose("closed");
    y.participant.onClose("closed");

    assertEquals(List.of(pair), ended);
    List<String> lines = printedLines();
    assertEquals(
        List.of("X: hello", "X: Client X: labelled", "Y: hi", "Done."),
        lines.subList(lines.size() - 4, lines.size()));
  }

  @Test
  void aClientThatLeavesBeforeItsMessageIsReportedToTheOther() {
    startSeatedPair(false);
    x.arriveAndRead("Client X: Alice\n");
    y.participant.onClose("connection closed");

    assertEquals(List.of("Client X connected", "Client Y disconnected"), x.sent);
    assertTrue(x.closing);
    assertEquals("Client Y disconnected", printedLines().get(printedLines().size() - 1));
    x.participant.onClose("closed");
    assertEquals(List.of(pair), ended);
  }

  @Test
  void theEndOfInputEndsAMessageWithoutWaitingForTheQuietPeriod() {
    startSeatedPair(false);
    x.arriveAndRead("Client X: Alice");
    x.participant.onEndOfInput(); // printf 'Client X: Alice' | nc -N
    y.arriveAndRead("Client Y: Bob\n");

    assertEquals("X: Alice received before Y: Bob", x.sent.get(1));
    assertTrue(x.closing && y.closing);
  }

  @Test
  void aClientWhoseInputEndsBeforeItsMessageHasLeft() {
    startSeatedPair(false);
    y.participant.onEndOfInput();

    assertEquals(List.of("Client X connected", "Client Y disconnected"), x.sent);
    assertTrue(x.closing && y.closing);
  }

  @Test
  void withRelayAClientWhoseInputEndedAfterItsMessageIsGoneOnceAcknowledged() {
    startSeatedPair(true);
    x.arriveAndRead("Client X: Alice\n");
    x.participant.onEndOfInput();
    y.arriveAndRead("Client Y: Bob\n");

    assertEquals(
        List.of("Client Y connected", "X: Alice received before Y: Bob", "Client X disconnected"),
        y.sent);
    assertEquals(List.of("Client X connected", "X: Alice received before Y: Bob"), x.sent);
    assertTrue(x.closing && y.closing);
  }

  @Test
  void aClientThatLeavesMidRelayIsReportedToTheOther() {
    startSeatedPair(true);
    x.arriveAndRead("Client X: Alice\n");
    y.arriveAndRead("Client Y: Bob\n");
    x.participant.onClose("connection closed");

    assertEquals("Client X disconnected", y.sent.get(y.sent.size() - 1));
    assertTrue(y.closing);
  }

  @Test
  void aPeerThatDoesNotReadStopsTheRelayFromTheSenderUntilItCatchesUp() {
    startSeatedPair(true);
    x.arriveAndRead("Client X: Alice\n");
    y.arriveAndRead("Client Y: Bob\n");
    y.writable = false; // Y's queue is above its high-water mark

    x.arriveAndRead("one\ntwo\n");
    assertEquals(EnumSet.of(Pause.PEER_BACKLOGGED), x.pauses, "paused, not polled");
    assertEquals(4, x.kernel.size(), "two waits");
    assertEquals(List.of("X: one"), y.sent.subList(2, y.sent.size()));

    y.writable = true;
    y.participant.onWritable(); // Y's queue drained to low water
    x.read();
    assertEquals(List.of("X: one", "X: two"), y.sent.subList(2, 4));
    assertEquals(0, scheduler.deadlines.size(), "no timer looks at the queue");
  }

  // ---- a first client that hung up before its partner came (issue 10, item 11) ----

  private static final String FIRST = "Accepted first connection, calling it client X";
  private static final String SECOND = "Accepted second connection, calling it client Y";

  @Test
  void anXThatHangsUpWhileWaitingLeavesAndTheNextConnectionIsXInItsPlace() {
    startPair(false);
    pair.seat(participant(x));
    x.hangUp();
    x.read(); // the loop watches X's connection while it waits for a partner
    assertTrue(x.closing, "the server closes its end of a client that hung up");
    assertTrue(pair.seating());

    pair.seat(participant(y));
    FakeLink z = new FakeLink();
    pair.seat(participant(z));

    assertEquals(List.of(), x.sent, "nobody is told anything of a client that left unpaired");
    assertEquals(List.of("Client X connected"), y.sent);
    assertEquals(List.of("Client Y connected"), z.sent);
    assertEquals(
        List.of(
            FIRST,
            "Client X disconnected",
            FIRST,
            SECOND,
            "Waiting to receive messages from client X and client Y...."),
        printedLines());
    assertEquals(List.of(), ended, "the pair goes on: with --once the server would stop here");
    x.participant.onClose("closed"); // its close comes later, and changes nothing
    assertEquals(Label.X, y.participant.label());
  }

  @Test
  void aHangUpNotYetSeenWhenTheNextClientConnectsIsSeenBeforeThePairing() {
    startPair(false);
    pair.seat(participant(x));
    x.hangUp(); // in the kernel, not yet read: both events came in one select

    pair.seat(participant(y));

    assertEquals(List.of(), y.sent, "the newcomer was paired with a client that is gone");
    assertEquals(List.of(FIRST, "Client X disconnected", FIRST), printedLines());
    assertEquals(Label.X, y.participant.label());
  }

  @Test
  void anXThatSentItsMessageBeforeYCameIsKeptThoughItsBytesWereReadEarly() {
    startPair(false);
    pair.seat(participant(x));
    x.arriveAndRead("Client X: Alice\n"); // held, not taken: no ticket, nothing printed
    assertEquals(List.of(FIRST), printedLines());

    pair.seat(participant(y));
    y.arriveAndRead("Client Y: Bob\n");

    assertEquals("X: Alice received before Y: Bob", y.sent.get(1));
  }

  // ---- the pair timeout (issue 10, item 11) ----

  @Test
  void aPairThatReceivesNothingForThePairTimeoutIsEndedAndBothAreTold() {
    startPair(false, Duration.ofSeconds(5));
    seatBoth();
    scheduler.advance(Duration.ofSeconds(4).toNanos());
    x.arriveAndRead("Client X: Alice\n"); // a message starts the wait again
    scheduler.advance(Duration.ofSeconds(4).toNanos());
    assertFalse(x.closing, "ended before the timeout had passed since the last message");

    scheduler.advance(Duration.ofSeconds(1).toNanos());

    String line = "Pair ended: no message from client Y in 5 s";
    assertEquals(List.of("Client X connected", line), x.sent);
    assertEquals(List.of("Client Y connected", line), y.sent);
    assertTrue(x.closing && y.closing);
    assertEquals(line, printedLines().get(printedLines().size() - 1));
    x.participant.onClose("closed");
    y.participant.onClose("closed");
    assertEquals(List.of(pair), ended);
  }

  @Test
  void aRelayThatFallsSilentForThePairTimeoutIsEndedNamingBoth() {
    startPair(true, Duration.ofMillis(1500));
    seatBoth();
    x.arriveAndRead("Client X: Alice\n");
    y.arriveAndRead("Client Y: Bob\n");
    x.arriveAndRead("anyone?\n");

    scheduler.advance(Duration.ofMillis(1500).toNanos());

    assertEquals(
        "Pair ended: no message from client X or client Y in 1500 ms",
        y.sent.get(y.sent.size() - 1));
    assertTrue(x.closing && y.closing);
  }

  @Test
  void withoutAPairTimeoutASilentPairWaitsForever() {
    startSeatedPair(false);
    scheduler.advance(Duration.ofDays(1).toNanos());
    assertFalse(x.closing || y.closing);
  }

  // ---- the console (issue 10, item 9) ----

  @Test
  void clientsTextCannotDriveTheServersTerminal() {
    startSeatedPair(true);
    x.arriveAndRead("\u001b]0;pwned\u0007\u001b[2J\n");
    y.arriveAndRead("Client Y: \u202eboB\n");
    x.arriveAndRead("\u009b31m red\u007f\n");

    List<String> lines = printedLines();
    assertEquals(
        List.of(
            "\\x1b]0;pwned\\x07\\x1b[2J",
            "Client Y: \\u202eboB",
            "Sent acknowledgment to both X and Y",
            "X: \\x9b31m red\\x7f"),
        lines.subList(3, 7));
    // The clients get the text exactly as sent: neutralising is for the terminal that prints it.
    assertEquals("X: \u009b31m red\u007f", y.sent.get(y.sent.size() - 1));
  }
}
