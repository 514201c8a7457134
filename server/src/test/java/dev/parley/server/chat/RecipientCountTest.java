package dev.parley.server.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.net.EventLoop;
import dev.parley.net.OnLoop;
import dev.parley.net.Pause;
import dev.parley.net.ProbingPeer;
import dev.parley.protocol.Frame;
import dev.parley.server.ServerConfig;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.InlineStoreWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code C SENT PM <seq> <n>} counts the connections the message was queued to (contract section 8,
 * "Counts"): a connection that is already closing does not take it and is not counted.
 */
class RecipientCountTest {
  private EventLoop loop;
  private ChatService chat;

  /** A connection without a socket that records the lines queued to it. */
  private static final class RecordingTransport implements ProbingPeer {
    final EventLoop loop;
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean closing; // as a Connection after closeAfterFlush: takes nothing more

    RecordingTransport(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public long now() {
      return loop.now();
    }

    @Override
    public EventLoop.Timer schedule(long delayNanos, Runnable action) {
      return loop.schedule(delayNanos, action);
    }

    @Override
    public SocketAddress remoteAddress() {
      return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public long peakPendingBytes() {
      return 0;
    }

    @Override
    public long pendingBytes() {
      return 0;
    }

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public boolean enqueue(ByteBuffer line) {
      if (closing) {
        return false;
      }
      lines.add(text(line));
      return true;
    }

    @Override
    public void enqueueReply(ByteBuffer line) {
      enqueue(line);
    }

    @Override
    public void pause(Pause reason) {}

    @Override
    public void resume(Pause reason) {}

    @Override
    public boolean isPaused() {
      return false;
    }

    @Override
    public boolean probeGone() {
      return false;
    }

    @Override
    public void closeAfterFlush(String reason) {
      closing = true;
    }

    private static String text(ByteBuffer line) {
      ByteBuffer b = line.duplicate();
      b.limit(b.limit() - 1);
      return StandardCharsets.UTF_8.decode(b).toString();
    }
  }

  @BeforeEach
  void start() throws Exception {
    loop = new EventLoop("count-loop");
    InMemoryStore store = new InMemoryStore();
    ServerConfig config = ServerConfig.defaults().withMemoryStore().toBuilder().maxRate(0).build();
    chat =
        new ChatService(loop, config, store, new InlineStoreWriter(store), null, Clock.systemUTC());
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  @Test
  void aPublicMessageCountsOnlyTheConnectionsItWasQueuedTo() throws Exception {
    RecordingTransport alice = new RecordingTransport(loop);
    RecordingTransport bob = new RecordingTransport(loop);
    RecordingTransport carol = new RecordingTransport(loop);
    onLoop(
        () -> {
          signIn(alice, "alice");
          signIn(bob, "bob");
          signIn(carol, "carol");
        });
    carol.closing = true; // carol is being closed, but has not left the directory yet
    onLoop(
        () -> {
          Session sender = session(alice);
          sender.onFrame(new Frame.Text("C PM"));
          sender.onFrame(new Frame.Text("D hello"));
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> alice.lines.contains("C SENT PM 1 1"));
    assertEquals(1, bob.lines.stream().filter(l -> l.startsWith("D PM 1 ")).count());
  }

  private final java.util.Map<RecordingTransport, Session> sessions =
      new java.util.concurrent.ConcurrentHashMap<>();

  private void signIn(RecordingTransport transport, String name) {
    Session s = (Session) chat.open(transport);
    sessions.put(transport, s);
    s.onFrame(new Frame.Text("C NICK " + name));
  }

  private Session session(RecordingTransport transport) {
    return sessions.get(transport);
  }

  private void onLoop(Runnable task) throws InterruptedException {
    OnLoop.run(loop, task);
  }
}
