package dev.parley.bench.jmh;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one delivered message, as the server does once per message whatever the number of
 * recipients: {@code D PM <seq> <time> <from> <text>} to a shared read-only buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncoderBench {
  private final String text = "x".repeat(64);
  private long seq = 1;
  private long millis = 1_795_256_130_123L;

  @Benchmark
  public ByteBuffer encodeDelivery() {
    // A new message each time, a new millisecond every 64 messages (as at 64 000 messages/s).
    ChatMessage m = ChatMessage.publicMessage(seq++, millis + (seq >> 6), "alice", text);
    return Wire.encode(new ServerLine.Delivery(m));
  }

  @Benchmark
  public ByteBuffer encodeConfirm() {
    return Wire.encode(new ServerLine.SentPublic(seq++, 1000));
  }
}
