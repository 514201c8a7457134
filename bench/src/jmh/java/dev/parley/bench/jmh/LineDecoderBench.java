package dev.parley.bench.jmh;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The server's read path per line: {@link LineDecoder} over a read buffer holding what a publisher
 * pipelines ({@code C PM} then {@code D <64 bytes>}, {@value #PAIRS} times), and the same plus
 * {@link ClientLine#parse}. Reported per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineDecoderBench {
  static final int PAIRS = 512;
  static final int LINES = 2 * PAIRS;

  private ByteBuffer input;
  private final LineDecoder decoder = new LineDecoder();

  @Setup
  public void setUp() {
    StringBuilder sb = new StringBuilder();
    String text = "x".repeat(64);
    for (int i = 0; i < PAIRS; i++) {
      sb.append("C PM\nD ").append(text).append('\n');
    }
    input = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void decode(Blackhole bh) {
    ByteBuffer b = input.duplicate();
    Frame f;
    while ((f = decoder.next(b)) != null) {
      bh.consume(f);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void decodeAndParse(Blackhole bh) throws ProtocolException {
    ByteBuffer b = input.duplicate();
    Frame f;
    while ((f = decoder.next(b)) != null) {
      bh.consume(ClientLine.parse(((Frame.Text) f).text()));
    }
  }
}
