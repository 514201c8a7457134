package dev.parley.server.classroom;

import dev.parley.net.Pause;
import dev.parley.protocol.ConsoleText;
import dev.parley.protocol.Wire;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of the exercise: two clients X and Y, one message from each, the acknowledgment in the
 * order the messages arrived, then (with relay) their conversation until one says {@code Bye}. Loop
 * thread only.
 *
 * <pre>
 *   AWAIT_X --first connection--> AWAIT_Y --second connection--> AWAIT_MESSAGES
 *                                 AWAIT_Y --X hung up before Y came--> AWAIT_X
 *   AWAIT_MESSAGES --both messages, ack sent--> RELAYING        (relay)
 *                                           \-> ENDING          (no relay: close both)
 *   RELAYING --Bye from either: Bye to both--> ENDING
 *   AWAIT_MESSAGES, RELAYING --a client left (closed, or ended its input too soon):
 *                                the other is told--> ENDING
 *   AWAIT_MESSAGES, RELAYING --nothing received for the pair timeout: both told--> ENDING
 *   ENDING --both connections closed--> ENDED                   (the server starts the next pair)
 * </pre>
 *
 * <p>Nothing X sends is taken until Y is connected too: its bytes wait (in the kernel, or in its
 * connection's stash), and are framed and ordered only once both are in. Meanwhile X's connection
 * is watched for its end of stream: a client that hung up before it had a partner leaves the pair
 * (the server says it disconnected) and the next connection is X in its place. A message's place is
 * taken when its first bytes are read ({@link #messageStarted}), not when it is complete, so a
 * client that ends its message by a quiet period is not overtaken by a faster line end that arrived
 * after it; the server prints the messages in that same order.
 */
final class ClassroomPair {

  enum State {
    AWAIT_X,
    AWAIT_Y,
    AWAIT_MESSAGES,
    RELAYING,
    ENDING,
    ENDED
  }

  private static final Map<State, EnumSet<State>> TRANSITIONS = new EnumMap<>(State.class);

  static {
    TRANSITIONS.put(State.AWAIT_X, EnumSet.of(State.AWAIT_Y));
    TRANSITIONS.put(State.AWAIT_Y, EnumSet.of(State.AWAIT_MESSAGES, State.AWAIT_X));
    TRANSITIONS.put(State.AWAIT_MESSAGES, EnumSet.of(State.RELAYING, State.ENDING));
    TRANSITIONS.put(State.RELAYING, EnumSet.of(State.ENDING));
    TRANSITIONS.put(State.ENDING, EnumSet.of(State.ENDED));
    TRANSITIONS.put(State.ENDED, EnumSet.noneOf(State.class));
  }

  /** One client's place in the pair and what the pair knows of it. */
  private static final class Seat {
    final Participant participant;
    long ticket; // arrival ticket of its first message; 0 until its first bytes are read
    String message; // its first message, once complete
    boolean printed; // its first message was printed
    boolean inputEnded; // the client sends nothing more (it may still read)
    boolean closed; // its connection is gone

    Seat(Participant participant) {
      this.participant = participant;
    }

    /** Queues an encoded line; one buffer may go to both seats (the queue never moves it). */
    void send(ByteBuffer line) {
      participant.peer().enqueue(line);
    }
  }

  private final PrintStream out;
  private final ArrivalOrder arrivals;
  private final Scheduler scheduler;
  private final boolean relay;
  private final Duration pairTimeout; // zero: no limit
  private final Consumer<ClassroomPair> ended;
  private State state = State.AWAIT_X;
  private Seat x;
  private Seat y;
  private String lastWords; // printed once both connections are closed ("Done."), or null
  private Runnable cancelSilenceTimer; // ends the pair after pairTimeout of silence, or null

  /**
   * @param out where the server's lines are printed (the transcript students compare)
   * @param relay whether the clients talk on after the acknowledgment
   * @param pairTimeout how long a pair with both clients in may receive nothing before it is ended;
   *     zero for no limit
   * @param ended told once, when both connections are closed
   */
  ClassroomPair(
      PrintStream out,
      ArrivalOrder arrivals,
      Scheduler scheduler,
      boolean relay,
      Duration pairTimeout,
      Consumer<ClassroomPair> ended) {
    this.out = out;
    this.arrivals = arrivals;
    this.scheduler = scheduler;
    this.relay = relay;
    this.pairTimeout = pairTimeout;
    this.ended = ended;
  }

  /** Whether the pair still needs a client. */
  boolean seating() {
    return state == State.AWAIT_X || state == State.AWAIT_Y;
  }

  /**
   * Takes the next connection: the first is X, the second Y. With both in, each is told its label
   * and reading starts.
   */
  void seat(Participant participant) {
    if (state == State.AWAIT_Y) {
      // X may have hung up just before: its end of stream can wait in the kernel, unseen, when
      // both arrive in one select. Look now, so the newcomer is never paired with a client gone.
      x.participant.peer().readNow();
    }
    if (state == State.AWAIT_X) {
      x = new Seat(participant);
      participant.seat(this, Label.X);
      print(ClassroomText.accepted(Label.X));
      moveTo(State.AWAIT_Y);
      // Read, to see its end of stream; its bytes are not taken yet (they wait in its stash).
      participant.peer().resume(Pause.NOT_ITS_TURN);
    } else if (state == State.AWAIT_Y) {
      y = new Seat(participant);
      participant.seat(this, Label.Y);
      print(ClassroomText.accepted(Label.Y));
      x.send(Wire.encode(ClassroomText.connected(Label.X)));
      y.send(Wire.encode(ClassroomText.connected(Label.Y)));
      print(ClassroomText.WAITING_FOR_MESSAGES);
      moveTo(State.AWAIT_MESSAGES);
      restartSilenceTimer();
      // Only now is anything taken. X's bytes, sent before Y was there, waited in the kernel or
      // its connection's stash; read them at once, before Y is even told it is connected, so that
      // a quick answer from Y cannot land in the same select and be read first. Then Y, in case
      // it did not wait to be told.
      x.participant.peer().resume(Pause.NOT_ITS_TURN);
      y.participant.peer().resume(Pause.NOT_ITS_TURN);
      x.participant.peer().readNow();
      y.participant.peer().readNow();
    } else {
      throw new IllegalStateException("the pair is complete");
    }
  }

  /**
   * Whether {@code participant}'s messages are taken now: its one message while both are awaited,
   * everything while relaying (a peer that does not read pauses its sender meanwhile: {@link
   * #caughtUp}).
   */
  boolean acceptsFrom(Participant participant) {
    return switch (state) {
      case AWAIT_MESSAGES -> seatOf(participant).message == null;
      case RELAYING -> true;
      default -> false;
    };
  }

  /** The first bytes of a message from {@code participant} were read: its place is now. */
  void messageStarted(Participant participant) {
    Seat seat = seatOf(participant);
    if (state == State.AWAIT_MESSAGES && seat.ticket == 0) {
      seat.ticket = arrivals.nextTicket();
    }
  }

  void messageReceived(Participant participant, String message) {
    Seat seat = seatOf(participant);
    if (state == State.AWAIT_MESSAGES || state == State.RELAYING) {
      restartSilenceTimer();
    }
    if (state == State.AWAIT_MESSAGES && seat.message == null) {
      messageStarted(participant); // a message that came whole in one read starts as it ends
      seat.message = message;
      participant.peer().pause(Pause.NOT_ITS_TURN); // one message each until the acknowledgment
      printInArrivalOrder();
      if (x.message != null && y.message != null) {
        acknowledge();
      }
    } else if (state == State.RELAYING) {
      if (message.equals(ClassroomText.BYE)) {
        ByteBuffer bye = Wire.encode(ClassroomText.BYE);
        x.send(bye);
        y.send(bye);
        lastWords = ClassroomText.DONE;
        end();
      } else {
        String line = ClassroomText.relayed(participant.label(), message);
        Seat receiver = otherSeat(participant);
        receiver.send(Wire.encode(line));
        print(line);
        if (!receiver.participant.peer().isWritable()) {
          // A client that floods a peer that does not read is slowed down rather than dropped:
          // read no further from it until the peer's queue has drained (caughtUp).
          participant.peer().pause(Pause.PEER_BACKLOGGED);
        }
      }
    }
  }

  /** {@code participant}'s queue drained to its low-water mark: its peer may send again. */
  void caughtUp(Participant participant) {
    if (state == State.RELAYING) {
      otherSeat(participant).participant.peer().resume(Pause.PEER_BACKLOGGED);
    }
  }

  /**
   * {@code participant} sends nothing more. Before its message, or while relaying, that is leaving
   * early. After its message it still gets the acknowledgment: it may be reading (a script piped
   * into {@code nc -N}); with relay it is then reported as gone, since it can no longer say Bye.
   */
  void inputEnded(Participant participant) {
    Seat seat = seatOf(participant);
    seat.inputEnded = true;
    if (state == State.AWAIT_Y) {
      vacateX();
    } else if ((state == State.AWAIT_MESSAGES && seat.message == null) || state == State.RELAYING) {
      left(seat);
    }
  }

  /** {@code participant}'s connection closed (the client left, or was closed by the pair). */
  void disconnected(Participant participant) {
    Seat seat = seatOf(participant);
    seat.closed = true;
    if (state == State.AWAIT_Y) {
      vacateX();
    } else if (state == State.AWAIT_MESSAGES || state == State.RELAYING) {
      left(seat);
    }
    if (state == State.ENDING && (x == null || x.closed) && (y == null || y.closed)) {
      moveTo(State.ENDED);
      if (lastWords != null) {
        print(lastWords);
      }
      ended.accept(this);
    }
  }

  /**
   * Prints the first messages that are complete, in arrival order: a message that completed while
   * an earlier one was still arriving (its client waits out the quiet period) is printed after it,
   * so the server's output never contradicts the acknowledgment.
   */
  private void printInArrivalOrder() {
    boolean xFirst = x.ticket != 0 && (y.ticket == 0 || x.ticket < y.ticket);
    for (Seat seat : xFirst ? new Seat[] {x, y} : new Seat[] {y, x}) {
      if (seat.message == null) {
        return;
      }
      if (!seat.printed) {
        seat.printed = true;
        print(seat.message);
      }
    }
  }

  /** The client of {@code seat} left early: the server says so, and so is the other client told. */
  private void left(Seat seat) {
    String line = ClassroomText.disconnected(seat.participant.label());
    print(line);
    Seat other = seat == x ? y : x;
    if (other != null && !other.closed) {
      other.send(Wire.encode(line));
    }
    end();
  }

  /**
   * X hung up while it waited for a partner: the server says so, and the pair forgets it and waits
   * for a new X. Nobody else was told of it, so nobody else is told it left.
   */
  private void vacateX() {
    Participant gone = x.participant;
    boolean closed = x.closed;
    x = null;
    moveTo(State.AWAIT_X);
    gone.unseat();
    print(ClassroomText.disconnected(Label.X));
    if (!closed) {
      gone.peer().closeAfterFlush("hung up before its partner came");
    }
  }

  /** A pair that receives nothing for the pair timeout is ended; both clients are told why. */
  private void restartSilenceTimer() {
    if (pairTimeout.isZero()) {
      return;
    }
    stopSilenceTimer();
    cancelSilenceTimer = scheduler.schedule(pairTimeout.toNanos(), this::timedOut);
  }

  private void stopSilenceTimer() {
    if (cancelSilenceTimer != null) {
      cancelSilenceTimer.run();
      cancelSilenceTimer = null;
    }
  }

  private void timedOut() {
    cancelSilenceTimer = null;
    List<Label> silent = new ArrayList<>();
    for (Seat seat : new Seat[] {x, y}) {
      if (state == State.RELAYING || seat.message == null) {
        silent.add(seat.participant.label());
      }
    }
    String line = ClassroomText.timedOut(silent, pairTimeout);
    print(line);
    ByteBuffer encoded = Wire.encode(line);
    for (Seat seat : new Seat[] {x, y}) {
      if (!seat.closed) {
        seat.send(encoded);
      }
    }
    end();
  }

  /** Prints a line on the server's console: what came from a client cannot drive the terminal. */
  private void print(String line) {
    out.println(ConsoleText.neutralise(line));
  }

  private void acknowledge() {
    Seat first = x.ticket < y.ticket ? x : y;
    Seat second = first == x ? y : x;
    ByteBuffer ack =
        Wire.encode(
            ClassroomText.acknowledgment(
                first.participant.label(),
                first.message,
                second.participant.label(),
                second.message));
    x.send(ack);
    y.send(ack);
    print(ClassroomText.ACKNOWLEDGMENT_SENT);
    if (relay && (x.inputEnded || y.inputEnded)) {
      left(x.inputEnded ? x : y); // it cannot take part in the relay: it is gone for the other
    } else if (relay) {
      moveTo(State.RELAYING);
      // Whatever they sent after their first message has waited (stash or kernel): relay it now.
      x.participant.peer().resume(Pause.NOT_ITS_TURN);
      y.participant.peer().resume(Pause.NOT_ITS_TURN);
    } else {
      end();
    }
  }

  /** Closes both connections once their last lines are written; ENDED follows their closes. */
  private void end() {
    moveTo(State.ENDING);
    stopSilenceTimer();
    for (Seat seat : new Seat[] {x, y}) {
      if (seat != null && !seat.closed) {
        seat.participant.peer().closeAfterFlush("classroom pair ended");
      }
    }
  }

  private Seat seatOf(Participant participant) {
    if (x != null && x.participant == participant) {
      return x;
    }
    if (y != null && y.participant == participant) {
      return y;
    }
    throw new IllegalArgumentException("not a participant of this pair");
  }

  private Seat otherSeat(Participant participant) {
    return seatOf(participant) == x ? y : x;
  }

  private void moveTo(State next) {
    if (!TRANSITIONS.get(state).contains(next)) {
      throw new IllegalStateException("classroom pair cannot go from " + state + " to " + next);
    }
    state = next;
  }
}
