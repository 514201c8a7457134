package dev.parley.net;

import java.io.IOException;
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
 * The server's fan-out without the kernel, through {@link InProcessRoom} (server test classes): a
 * real {@code ChatService}, {@link EventLoop} iteration, router, sessions and outbound queues, over
 * {@code clients} connections whose channels discard what is written. One invocation: the
 * publisher's {@code batch} PMs go in as decoded frames, then one loop iteration stores them,
 * queues every delivery and flushes every connection (copy into the staging buffer and one "write"
 * each). Reported per delivery: score / (batch x clients). With {@code -prof gc},
 * gc.alloc.rate.norm / (batch x clients) is bytes allocated per delivery.
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

  private InProcessRoom room;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    room = new InProcessRoom(clients, 64);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    room.close();
  }

  @Benchmark
  public void fanOut() throws IOException {
    room.publish(batch);
  }
}
