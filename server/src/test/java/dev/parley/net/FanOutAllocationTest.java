package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The promise behind "near-zero allocation per delivery": a message allocates what it needs once
 * (its lines read, parsed and encoded), and each recipient adds nothing. Measured as the loop
 * thread's allocation per message at two room sizes: whatever grows with the room is per recipient.
 * Byte counts, not times, so a busy machine does not change the answer.
 */
class FanOutAllocationTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Well above the 0.06 B per recipient measured (the pool's rare new chunk), far below 1 object.
   */
  private static final double MAX_BYTES_PER_EXTRA_RECIPIENT = 1.0;

  @Test
  void eachExtraRecipientAllocatesNothing() throws Exception {
    double small = bytesPerMessage(100);
    double large = bytesPerMessage(1000);
    double perExtraRecipient = (large - small) / 900;
    assertTrue(
        perExtraRecipient < MAX_BYTES_PER_EXTRA_RECIPIENT,
        String.format(
            "%.0f B per message with 100 recipients, %.0f B with 1000: %.2f B per extra recipient",
            small, large, perExtraRecipient));
  }

  private static double bytesPerMessage(int subscribers) throws Exception {
    final int batch = 16;
    final int batches = 500;
    try (InProcessRoom room = new InProcessRoom(subscribers, 64)) {
      for (int i = 0; i < batches; i++) {
        room.publish(batch); // warm-up: compiled code, grown lists, a stocked chunk pool
      }
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < batches; i++) {
        room.publish(batch);
      }
      long after = THREADS.getCurrentThreadAllocatedBytes();
      return (after - before) / (double) (batch * batches);
    }
  }
}
