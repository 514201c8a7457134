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
 * @param pairTimeout how long a pair with both clients connected may receive nothing (no message
 *     from the client it waits for; while relaying, from either) before it is ended; zero, the
 *     default, for no limit
 */
public record ClassroomConfig(
    ServerConfig server, boolean relay, boolean once, Duration quietPeriod, Duration pairTimeout) {
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(100);
  public static final Duration NO_PAIR_TIMEOUT = Duration.ZERO;

  public ClassroomConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(quietPeriod, "quietPeriod");
    if (quietPeriod.isNegative() || quietPeriod.isZero()) {
      throw new IllegalArgumentException("the quiet period must be positive");
    }
    if (quietPeriod.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("the quiet period must be at most a minute");
    }
    Objects.requireNonNull(pairTimeout, "pairTimeout");
    if (pairTimeout.isNegative() || pairTimeout.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("the pair timeout must be 0 to 86400 seconds");
    }
  }

  /**
   * One pair after another on the server's default address, no relay, a 100 ms quiet period, no
   * pair timeout.
   */
  public static ClassroomConfig defaults() {
    return new ClassroomConfig(
        ServerConfig.defaults(), false, false, DEFAULT_QUIET_PERIOD, NO_PAIR_TIMEOUT);
  }

  public ClassroomConfig withAddress(String host, int port) {
    return new ClassroomConfig(
        server.withAddress(host, port), relay, once, quietPeriod, pairTimeout);
  }

  public ClassroomConfig withRelay(boolean on) {
    return new ClassroomConfig(server, on, once, quietPeriod, pairTimeout);
  }

  public ClassroomConfig withOnce(boolean on) {
    return new ClassroomConfig(server, relay, on, quietPeriod, pairTimeout);
  }

  public ClassroomConfig withQuietPeriod(Duration value) {
    return new ClassroomConfig(server, relay, once, value, pairTimeout);
  }

  public ClassroomConfig withPairTimeout(Duration value) {
    return new ClassroomConfig(server, relay, once, quietPeriod, value);
  }
}
