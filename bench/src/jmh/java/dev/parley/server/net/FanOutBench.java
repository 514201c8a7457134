package dev.parley.server.net;

import dev.parley.protocol.Frame;
import dev.parley.server.ServerConfig;
import dev.parley.server.chat.ChatService;
import dev.parley.server.history.InMemoryHistoryStore;
import dev.parley.server.history.InlineHistoryWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's fan-out without the kernel: a real {@link ChatService}, {@link EventLoop} iteration,
 * router, sessions and outbound queues, over {@code clients} connections whose channels discard
 * what is written. One invocation: a publisher's {@code batch} PMs go in as decoded frames, then
 * one loop iteration stores them, queues every delivery and flushes every connection (copy into
 * the staging buffer and one "write" each). Reported per delivery: score / (batch x clients).
 * With {@code -prof gc}, gc.alloc.rate.norm / (batch x clients) is bytes allocated per delivery.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-DPARLEY_LOG_LEVEL=WARN"})
public class FanOutBench {
  @Param({"100", "1000"})
  public int clients;

  @Param({"1", "64"})
  public int batch;

  private EventLoop loop;
  private ConnectionHandler publisher;
  private final List<Connection> connections = new ArrayList<>();
  private final Frame pm = new Frame.Text("C PM");
  private final Frame text = new Frame.Text("D " + "x".repeat(64));

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    loop = new EventLoop("bench-loop");
    ServerConfig config =
        ServerConfig.defaults().toBuilder()
            .maxRate(0)
            .idleTimeout(Duration.ZERO)
            .maxQueueBytes(64L << 20)
            .historyOnJoin(0)
            .build();
    InMemoryHistoryStore store = new InMemoryHistoryStore();
    ChatService chat =
        new ChatService(
            loop, config, store, new InlineHistoryWriter(store), null, Clock.systemUTC());
    Connection.Limits limits = Connection.Limits.of(config.maxLineBytes(), config.maxQueueBytes());
    for (int i = 0; i <= clients; i++) {
      NullChannel channel = new NullChannel(i);
      Connection c = new Connection(loop, channel, new NullKey(channel), limits, x -> {});
      ConnectionHandler handler = chat.open(c);
      c.bind(handler);
      handler.onFrame(new Frame.Text("C NICK u" + i));
      connections.add(c);
      if (i == clients) {
        publisher = handler;
      }
      loop.iterate(); // sign-in replies and JOIN notices go out
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    loop.close();
  }

  @Benchmark
  public void fanOut() throws IOException {
    for (int i = 0; i < batch; i++) {
      publisher.onFrame(pm);
      publisher.onFrame(text);
    }
    loop.iterate();
  }

  /** A connected socket that takes every byte and says so; nothing reaches the kernel. */
  static final class NullChannel extends SocketChannel {
    private final InetSocketAddress remote;

    NullChannel(int i) {
      super(SelectorProvider.provider());
      remote = new InetSocketAddress("127.0.0.1", 10_000 + i);
    }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public int read(ByteBuffer dst) {
      return 0;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
      return 0;
    }

    @Override
    public SocketAddress getRemoteAddress() {
      return remote;
    }

    @Override
    public SocketAddress getLocalAddress() {
      return remote;
    }

    @Override
    public SocketChannel bind(SocketAddress local) {
      return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) {
      return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) {
      return null;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
      return Set.of();
    }

    @Override
    public SocketChannel shutdownInput() {
      return this;
    }

    @Override
    public SocketChannel shutdownOutput() {
      return this;
    }

    @Override
    public java.net.Socket socket() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public boolean isConnectionPending() {
      return false;
    }

    @Override
    public boolean connect(SocketAddress remote) {
      return true;
    }

    @Override
    public boolean finishConnect() {
      return true;
    }

    @Override
    protected void implCloseSelectableChannel() {}

    @Override
    protected void implConfigureBlocking(boolean block) {}
  }

  /** A key that remembers its interest ops and belongs to no selector. */
  static final class NullKey extends AbstractSelectionKey {
    private final SocketChannel channel;
    private int ops = SelectionKey.OP_READ;

    NullKey(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public SocketChannel channel() {
      return channel;
    }

    @Override
    public Selector selector() {
      return null;
    }

    @Override
    public int interestOps() {
      return ops;
    }

    @Override
    public SelectionKey interestOps(int ops) {
      this.ops = ops;
      return this;
    }

    @Override
    public int readyOps() {
      return 0;
    }
  }
}
