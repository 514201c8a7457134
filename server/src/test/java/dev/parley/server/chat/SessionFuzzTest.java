package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.net.Connection;
import dev.parley.net.EventLoop;
import dev.parley.net.FakeSocket;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerLine;
import dev.parley.server.LogCapture;
import dev.parley.server.ServerConfig;
import dev.parley.server.account.Accounts;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.SignInThrottle;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.InlineStoreWriter;
import dev.parley.server.store.StoreWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fuzzes the session state machine: up to four clients, each driven by arbitrary lines and by the
 * things a network does (end of input, a reset, a client that stops reading and reads again, time
 * passing, a shutdown), against a real {@link ChatService} on a real {@link EventLoop} thread, each
 * client on a real {@code net.Connection} over a scripted socket ({@link FakeSocket}) in place of
 * the kernel. The checked-in inputs under {@code SessionFuzzTestInputs/} run in every build; {@code
 * JAZZER_FUZZ=1} searches for new ones (DEVELOPING.md).
 *
 * <p>Invariants: no exception escapes a session and the loop logs no WARN or ERROR; every line
 * written to a client is one well-formed protocol line ({@code ServerLine.parse} takes it and it is
 * no {@code Unknown}); delivered messages reach each client in increasing seq and every {@code C
 * SENT} seq is new; held replies and queued bytes stay within the limits; no session is left stuck
 * with unread input; and once every client has gone, no session and no user is left.
 *
 * <p>An input is lines ({@code \n}-separated records). The first byte of a record says what it is:
 *
 * <pre>
 *   0..3 rest    client 0..3 sends "rest" (a client that is not connected connects first)
 *   !k           client k half-closes (end of input, after what it sent)
 *   #k           client k resets the connection
 *   rk           client k reads everything queued for it (until then its queue only grows)
 *   t            time passes: every session's sign-in and idle deadline is checked as if an idle
 *                period had gone by
 *   s            the server shuts down (no client connects after that)
 *   ~            the loop ends an iteration here (messages so far go to the store together)
 *   &#64;flags   first record only: A = password accounts, R = a rate allowance of 5 lines
 *   other b rest client (b &amp; 3) sends "rest"
 * </pre>
 */
class SessionFuzzTest {
  private static final int CLIENTS = 4;
  private static final int MAX_RECORDS = 2000;
  private static final int MAX_LINE_BYTES = 64;
  private static final long MAX_QUEUE_BYTES = 2048;
  // One line's answer may pass the queue limit (a long C CH): at most C HISTORY and 1000 messages,
  // each no longer than a line a client may send plus the seq, time and names.
  private static final long MAX_ANSWER_BYTES = 1001L * (MAX_LINE_BYTES + 100);
  private static final Duration QUIET_WAIT = Duration.ofSeconds(5);

  @FuzzTest(maxDuration = "2m")
  void sessionsSurviveAnyLinesAndNetworkEvents(byte[] input) throws Exception {
    try (LogCapture log = LogCapture.attach()) {
      Run run = new Run(input);
      try {
        run.result.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError("the run failed: " + e.getCause(), e.getCause());
      } finally {
        run.close();
      }
      run.checkStore();
      assertEquals(List.of(), log.warningsAndErrors(), "WARN or ERROR logged");
    }
  }

  /** One fuzz input, run on a loop of its own. Fields are touched on the loop thread only. */
  private static final class Run {
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final EventLoop loop;
    final InMemoryStore store = new InMemoryStore();
    final StoreWriter writer = new InlineStoreWriter(store);
    final Accounts accounts;
    final ChatService chat;
    final ServerConfig config;
    final List<byte[]> records = new ArrayList<>();
    final Client[] clients = new Client[CLIENTS];
    final Set<Long> sentSeqs = new HashSet<>();
    final List<Long> publicSent = new ArrayList<>();
    int next; // the next record to run
    int connections; // transports made so far, for their addresses
    long timeOffset; // nanos added to the loop's clock by 't' records
    boolean shutDown;
    long quietDeadline; // when waiting for the sessions to take their last lines gives up

    Run(byte[] input) throws Exception {
      int start = 0;
      for (int i = 0; i <= input.length && records.size() < MAX_RECORDS; i++) {
        if (i == input.length || input[i] == '\n') {
          records.add(Arrays.copyOfRange(input, start, i));
          start = i + 1;
        }
      }
      String flags = "";
      if (!records.isEmpty() && records.get(0).length > 0 && records.get(0)[0] == '@') {
        flags = new String(records.remove(0), StandardCharsets.ISO_8859_1);
      }
      ServerConfig.Builder builder =
          ServerConfig.defaults().withMemoryStore().toBuilder()
              .maxLineBytes(MAX_LINE_BYTES)
              .maxQueueBytes(MAX_QUEUE_BYTES)
              .maxRate(0);
      if (flags.contains("R")) {
        builder.maxRate(1000).rateBurst(5);
      }
      config = builder.build();
      loop = new EventLoop("fuzz-loop");
      accounts =
          flags.contains("A")
              ? new Accounts(
                  List.of(),
                  new PasswordHasher(1, 1),
                  new SignInThrottle(loop.clock()),
                  writer,
                  loop,
                  ServerConfig.DEFAULT_MAX_PASSWORD_CHECKS,
                  ServerConfig.DEFAULT_MAX_PASSWORD_CHECKS_PER_ADDRESS)
              : null;
      chat = new ChatService(loop, config, store, writer, accounts, Clock.systemUTC());
      // The test plays the selector: after every iteration's work, each socket is handled as a
      // select would report it (input waiting, a client that reads).
      loop.addIterationEndHook(() -> guarded(this::pollAll));
      loop.execute(() -> guarded(this::step));
      loop.start();
    }

    /** Runs records up to the next iteration mark, then lets the loop go round. */
    void step() {
      while (next < records.size()) {
        byte[] record = records.get(next++);
        if (record.length > 0 && record[0] == '~') {
          loop.schedule(0, () -> guarded(this::step));
          return;
        }
        run(record);
        checkBounds();
      }
      // Every client reads what it was sent, then the sessions take their last lines.
      for (Client c : clients) {
        if (c != null) {
          c.readAll();
        }
      }
      quietDeadline = System.nanoTime() + QUIET_WAIT.toNanos();
      loop.schedule(0, () -> guarded(this::awaitQuiet));
    }

    void run(byte[] record) {
      if (record.length == 0) {
        client(0).send(record, 0); // an empty line from client 0
        return;
      }
      int slot = record.length > 1 ? record[1] & 3 : 0;
      switch (record[0]) {
        case '0', '1', '2', '3' -> client(record[0] - '0').send(record, 1);
        case '!' -> existing(slot, Client::endInput);
        case '#' -> existing(slot, Client::reset);
        case 'r' -> existing(slot, Client::readAll);
        case 't' -> timePasses();
        case 's' -> {
          shutDown = true;
          chat.shutdown();
        }
        default -> client(record[0] & 3).send(record, 1);
      }
    }

    private Client client(int slot) {
      Client c = clients[slot];
      if (c == null || c.gone()) {
        if (shutDown) {
          return Client.REFUSED;
        }
        try {
          c = new Client(this, ++connections);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        clients[slot] = c;
      }
      return c;
    }

    private void existing(int slot, Consumer<Client> action) {
      if (clients[slot] != null && !clients[slot].gone()) {
        action.accept(clients[slot]);
      }
    }

    private void timePasses() {
      timeOffset += config.idleTimeout().toNanos() + config.signInTimeout().toNanos();
      long now = loop.now() + timeOffset;
      for (Client c : clients) {
        if (c != null && !c.gone()) {
          c.session.checkTimeouts(
              now, config.idleTimeout().toNanos(), config.signInTimeout().toNanos());
        }
      }
    }

    /** Waits, an iteration at a time, until no client has input its session has not taken. */
    void awaitQuiet() {
      boolean waiting = false;
      for (Client c : clients) {
        if (c != null && !c.gone()) {
          c.readAll();
          waiting |= c.hasUnreadInput();
        }
      }
      if (waiting && System.nanoTime() < quietDeadline) {
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(1), () -> guarded(this::awaitQuiet));
        return;
      }
      for (Client c : clients) {
        if (c != null && !c.gone() && c.hasUnreadInput()) {
          fail(
              "client "
                  + c.id
                  + " in state "
                  + c.session.state()
                  + " still has input its session never took, "
                  + c.session.heldReplies()
                  + " replies held");
        }
      }
      // Everyone goes; then nothing may be left of anyone.
      for (Client c : clients) {
        if (c != null && !c.gone()) {
          c.reset();
        }
      }
      loop.schedule(0, () -> guarded(this::checkEmpty));
    }

    void pollAll() {
      for (Client c : clients) {
        if (c != null && c != Client.REFUSED && !c.gone()) {
          c.socket.poll();
        }
      }
    }

    void checkEmpty() {
      assertEquals(0, chat.usersOnline(), "users online after everyone left");
      assertEquals(0, chat.openSessions(), "sessions open after everyone left");
      result.complete(null);
    }

    void checkBounds() {
      for (Client c : clients) {
        if (c != null && !c.gone()) {
          assertTrue(
              c.session.heldReplies() <= ReplyQueue.MAX_HELD + 2,
              "held replies: " + c.session.heldReplies());
          assertTrue(
              c.pending() <= MAX_QUEUE_BYTES + MAX_ANSWER_BYTES, "queued bytes: " + c.pending());
        }
      }
    }

    void sent(ServerLine line) {
      long seq;
      if (line instanceof ServerLine.SentPublic sent) {
        seq = sent.seq();
        publicSent.add(seq);
      } else if (line instanceof ServerLine.SentDirect sent) {
        seq = sent.seq();
      } else {
        return;
      }
      assertTrue(sentSeqs.add(seq), "seq " + seq + " confirmed twice");
    }

    /** Runs {@code action}, turning anything it throws into the run's failure. */
    void guarded(Runnable action) {
      if (result.isDone()) {
        return;
      }
      try {
        action.run();
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }

    /**
     * After the loop has stopped: every confirmed public message is in the store, and the store
     * holds them in seq order. (A message whose sender left before its confirmation is stored too.)
     */
    void checkStore() {
      List<Long> stored = new ArrayList<>();
      for (ChatMessage m : store.recentPublic(InMemoryStore.DEFAULT_CAPACITY)) {
        assertTrue(stored.isEmpty() || stored.get(stored.size() - 1) < m.seq(), "store order");
        stored.add(m.seq());
      }
      assertTrue(stored.containsAll(publicSent), "confirmed " + publicSent + ", stored " + stored);
    }

    void close() {
      loop.close();
      writer.close();
      if (accounts != null) {
        accounts.close();
      }
    }
  }

  /**
   * A client on a real {@link Connection} over a scripted socket ({@link FakeSocket}): its lines
   * are read, decoded, paused and resumed, queued and written by the server's own code; the test
   * plays the kernel and the client. Loop thread only.
   */
  private static final class Client {
    static final Client REFUSED = new Client();

    final Run run;
    final int id;
    final FakeSocket socket;
    final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // a line not yet complete
    Session session;
    long lastDelivered; // the seq of the last message delivered (not replayed) to it
    int replayLeft; // lines of a C HISTORY answer still to come: replays, not deliveries
    boolean inputEnded;

    private Client() {
      run = null;
      id = 0;
      socket = null;
    }

    Client(Run run, int id) throws IOException {
      this.run = run;
      this.id = id;
      InetSocketAddress remote = new InetSocketAddress("127.0.0." + (1 + id % 200), 40000 + id);
      socket =
          new FakeSocket(
              run.loop,
              remote,
              Connection.Limits.of(MAX_LINE_BYTES, MAX_QUEUE_BYTES),
              c -> session = (Session) run.chat.open(c),
              this::received);
    }

    boolean gone() {
      return socket == null || socket.isClosed();
    }

    long pending() {
      return socket.connection().pendingBytes();
    }

    // ---- the client's side ----

    void send(byte[] record, int from) {
      if (this == REFUSED || inputEnded) {
        return;
      }
      byte[] line = Arrays.copyOfRange(record, from, record.length + 1);
      line[line.length - 1] = '\n';
      socket.send(line);
      socket.poll();
    }

    void endInput() {
      if (!inputEnded) {
        inputEnded = true;
        socket.endInput();
        socket.poll();
      }
    }

    void reset() {
      socket.reset();
    }

    boolean hasUnreadInput() {
      return socket.hasUnreadInput();
    }

    /** Takes everything queued for it now; then stops reading again. */
    void readAll() {
      socket.reading(true);
      socket.poll();
      socket.reading(false);
    }

    /** Each line is one in strict UTF-8 that a client can parse; deliveries come in seq order. */
    private void received(ByteBuffer bytes) {
      while (bytes.hasRemaining()) {
        byte b = bytes.get();
        if (b != '\n') {
          partial.write(b);
          continue;
        }
        ServerLine parsed = check(partial.toByteArray());
        partial.reset();
        run.sent(parsed);
        if (parsed instanceof ServerLine.History history) {
          replayLeft = history.count();
        } else if (parsed instanceof ServerLine.Delivery && replayLeft > 0) {
          replayLeft--;
        } else if (parsed instanceof ServerLine.Delivery delivery) {
          long seq = delivery.message().seq();
          assertTrue(seq > lastDelivered, "delivered seq " + seq + " after " + lastDelivered);
          lastDelivered = seq;
        }
      }
    }

    private static ServerLine check(byte[] line) {
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(line))
                .toString();
      } catch (CharacterCodingException e) {
        throw new AssertionError("a line written is not UTF-8", e);
      }
      try {
        ServerLine parsed = ServerLine.parse(text);
        assertTrue(!(parsed instanceof ServerLine.Unknown), "not a parley/1 line: " + text);
        return parsed;
      } catch (ProtocolException e) {
        throw new AssertionError("malformed line '" + text + "': " + e.reason(), e);
      }
    }
  }
}
