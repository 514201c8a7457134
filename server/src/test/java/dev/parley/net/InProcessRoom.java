package dev.parley.net;

import dev.parley.protocol.Frame;
import dev.parley.server.ServerConfig;
import dev.parley.server.chat.ChatService;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.InlineStoreWriter;
import dev.parley.server.store.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * A chat room with {@code subscribers} signed-in users and one publisher, all on connections whose
 * channels discard what is written: the server's whole fan-out path (session, sequencer, store,
 * router, outbound queues, flush into the staging buffer) without the kernel. The caller's thread
 * is the loop: {@link #publish} runs one real {@link EventLoop} iteration, so what the loop
 * allocates is what that thread allocates. Used by the allocation test and the JMH fan-out
 * benchmark.
 */
public final class InProcessRoom implements AutoCloseable {
  private static final Frame PM = new Frame.Text("C PM");

  private final EventLoop loop;
  private final LineHandler publisher;
  private final Frame text;

  public InProcessRoom(int subscribers, int textBytes) throws IOException, StoreException {
    loop = new EventLoop("room-loop");
    text = new Frame.Text("D " + "x".repeat(textBytes));
    ServerConfig config =
        ServerConfig.defaults().toBuilder()
            .maxRate(0)
            .idleTimeout(Duration.ZERO)
            .maxQueueBytes(64L << 20)
            .historyOnJoin(0)
            .build();
    InMemoryStore store = new InMemoryStore();
    ChatService chat =
        new ChatService(loop, config, store, new InlineStoreWriter(store), null, Clock.systemUTC());
    Connection.Limits limits = Connection.Limits.of(config.maxLineBytes(), config.maxQueueBytes());
    LineHandler last = null;
    for (int i = 0; i <= subscribers; i++) {
      NullChannel channel = new NullChannel(i);
      Connection c = new Connection(loop, channel, new NullKey(channel), limits, x -> {});
      last = chat.open(c);
      c.bind(last);
      last.onFrame(new Frame.Text("C NICK u" + i));
      loop.iterate(); // sign-in replies and JOIN notices go out
    }
    publisher = last; // the last to sign in publishes; the others only listen
  }

  /** The publisher pipelines {@code messages} PMs, then one loop iteration delivers them all. */
  public void publish(int messages) throws IOException {
    for (int i = 0; i < messages; i++) {
      publisher.onFrame(PM);
      publisher.onFrame(text);
    }
    loop.iterate();
  }

  @Override
  public void close() {
    loop.close();
  }
}
