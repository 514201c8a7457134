package dev.parley.server.soak;

/**
 * A message a soak client sent and the server confirmed with {@code C SENT}.
 *
 * @param to the DM recipient, or null for a PM
 * @param sentAt when its {@code D} line was sent (nanos)
 * @param confirmedAt when its {@code C SENT} was read (nanos)
 */
record Confirmed(
    long seq, boolean direct, Epoch sender, String to, long sentAt, long confirmedAt) {}
