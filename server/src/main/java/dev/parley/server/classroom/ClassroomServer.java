package dev.parley.server.classroom;

import dev.parley.net.Acceptor;
import dev.parley.net.ClientCap;
import dev.parley.net.Connection;
import dev.parley.net.ConnectionHandler;
import dev.parley.net.EventLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classroom mode (section 9 of the protocol): the two-client ordering exercise on the chat
 * service's own {@link EventLoop} and {@link Acceptor}, one {@link ClassroomPair} at a time. No
 * second networking stack and no thread per client: the one loop sees both sockets and reads
 * whichever has bytes, and the order of those reads is the arrival order ({@link ArrivalOrder}).
 *
 * <p>A connection that arrives while a pair is in progress waits for the next pair: it is accepted
 * but nothing is read from it or sent to it, and it becomes X (or Y) once the current pair has
 * ended. With {@code once}, the server stops after the first pair and closes whoever waits.
 *
 * <p>The server's lines are printed to the given stream, not logged: they are the transcript
 * students compare. {@link #start} and {@link #close} from any thread; the rest runs on the loop.
 */
public final class ClassroomServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClassroomServer.class);

  private final ClassroomConfig config;
  private final PrintStream out;
  private final EventLoop loop;
  private final Scheduler scheduler; // the loop's timers, for pairs and their participants
  private final ArrivalOrder arrivals = new ArrivalOrder();
  private final ArrayDeque<Participant> waiting = new ArrayDeque<>(); // accepted, not yet seated
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private Acceptor acceptor;
  private InetSocketAddress address;
  private ClassroomPair pair; // the pair being seated or run; null once a --once server is done

  private ClassroomServer(ClassroomConfig config, PrintStream out, EventLoop loop) {
    this.config = config;
    this.out = out;
    this.loop = loop;
    this.scheduler = (delay, action) -> loop.schedule(delay, action)::cancel;
  }

  /** Binds (a port in use fails here), prints the first waiting line and starts the loop. */
  public static ClassroomServer start(ClassroomConfig config, PrintStream out) throws IOException {
    EventLoop loop = new EventLoop("parley-classroom");
    ClassroomServer server = new ClassroomServer(config, out, loop);
    try {
      server.acceptor =
          Acceptor.open(
              loop,
              new InetSocketAddress(config.server().host(), config.server().port()),
              Connection.Limits.of(config.server().maxLineBytes(), config.server().maxQueueBytes()),
              new ClientCap(config.server().maxClients()),
              server::open);
      server.address = server.acceptor.localAddress();
    } catch (IOException | RuntimeException e) {
      loop.close();
      throw e;
    }
    server.pair = server.newPair();
    out.println(ClassroomText.WAITING_FOR_CONNECTIONS);
    loop.start();
    return server;
  }

  public InetSocketAddress address() {
    return address;
  }

  public int port() {
    return address.getPort();
  }

  /** Completes when a {@code once} server has finished its pair (never for the others). */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /** Waits for {@link #finished()}; false if it did not come within the timeout. Any thread. */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      finished.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Stops accepting and closes every connection at once. Any thread. */
  @Override
  public void close() {
    loop.execute(acceptor::stop);
    loop.close();
  }

  /** The acceptor's handler factory: every new connection first waits, unread, for a seat. */
  private ConnectionHandler open(Connection connection) {
    Participant participant =
        new Participant(
            connection,
            new MessageFramer(config.server().maxLineBytes()),
            scheduler,
            config.quietPeriod().toNanos(),
            waiting::remove);
    waiting.addLast(participant);
    if (pair == null || !pair.seating()) {
      LOG.info("{} waits for the next pair", connection.remoteAddress());
    }
    // Seat it once the acceptor has bound the handler to the connection (later in this
    // iteration): seating resumes reading, which asks the handler.
    loop.execute(this::seatWaiting);
    return participant;
  }

  private void seatWaiting() {
    while (pair != null && pair.seating() && !waiting.isEmpty()) {
      pair.seat(waiting.pollFirst());
    }
  }

  private ClassroomPair newPair() {
    return new ClassroomPair(
        out, arrivals, scheduler, config.relay(), config.pairTimeout(), this::pairEnded);
  }

  private void pairEnded(ClassroomPair ended) {
    if (config.once()) {
      pair = null;
      acceptor.stop();
      for (Participant p : waiting) {
        p.peer().closeAfterFlush("classroom server done");
      }
      finished.complete(null);
      return;
    }
    out.println(ClassroomText.WAITING_FOR_CONNECTIONS);
    pair = newPair();
    seatWaiting();
  }
}
