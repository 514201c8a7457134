package dev.parley.server.classroom;

import dev.parley.server.ServerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of classroom mode. From the server's settings it takes the address, the longest
 * message ({@code maxLineBytes}), the queue limit and the connection cap; the chat settings (store,
 * accounts, rate allowance, idle checks) do not apply. Immutable; any thread.
 *
 * @param server the address and limits
 * @param relay whether the clients talk on after the acknowledgment, until one sends {@code Bye}
 * @param once whether the server stops after one pair instead of waiting for the next
 * @param quietPeriod silence after which bytes with no line end count as one message
 */
public record ClassroomConfig(
    ServerConfig server, boolean relay, boolean once, Duration quietPeriod) {
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(100);

  public ClassroomConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(quietPeriod, "quietPeriod");
    if (quietPeriod.isNegative() || quietPeriod.isZero()) {
      throw new IllegalArgumentException("the quiet period must be positive");
    }
    if (quietPeriod.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("the quiet period must be at most a minute");
    }
  }

  /** One pair after another on the server's default address, no relay, a 100 ms quiet period. */
  public static ClassroomConfig defaults() {
    return new ClassroomConfig(ServerConfig.defaults(), false, false, DEFAULT_QUIET_PERIOD);
  }

  public ClassroomConfig withAddress(String host, int port) {
    return new ClassroomConfig(server.withAddress(host, port), relay, once, quietPeriod);
  }

  public ClassroomConfig withRelay(boolean on) {
    return new ClassroomConfig(server, on, once, quietPeriod);
  }

  public ClassroomConfig withOnce(boolean on) {
    return new ClassroomConfig(server, relay, on, quietPeriod);
  }

  public ClassroomConfig withQuietPeriod(Duration value) {
    return new ClassroomConfig(server, relay, once, value);
  }
}
