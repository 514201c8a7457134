package dev.parley.server.classroom;

import dev.parley.cli.Setting;
import dev.parley.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;

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

  static final Setting<Object> MODE =
      Setting.text(
          "mode",
          "MODE",
          "chat or classroom: the two-client X/Y ordering exercise of the protocol's section 9",
          "chat",
          null);
  static final Setting<Object> RELAY =
      Setting.onOff(
          "relay",
          "classroom: after the acknowledgment relay X and Y to each other until Bye",
          null);
  static final Setting<Object> ONCE =
      Setting.onOff(
          "once", "classroom: exit 0 after one pair instead of waiting for the next", null);
  static final Setting<Object> QUIET_MS =
      Setting.whole(
          "quiet-ms",
          "MILLIS",
          "classroom: silence that ends a message sent with no line end",
          DEFAULT_QUIET_PERIOD.toMillis(),
          1,
          Duration.ofMinutes(1).toMillis(),
          null);
  static final Setting<Object> PAIR_TIMEOUT =
      Setting.whole(
          "pair-timeout",
          "SECONDS",
          "classroom: end a pair that has received nothing for this long, telling both;"
              + " 0 turns it off",
          NO_PAIR_TIMEOUT.toSeconds(),
          0,
          Duration.ofDays(1).toSeconds(),
          null);

  /** Classroom mode's rows of the server's option table. */
  public static final List<Setting<Object>> SETTINGS =
      List.of(MODE, RELAY, ONCE, QUIET_MS, PAIR_TIMEOUT);

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
   * The classroom settings when {@code --mode classroom} was given, else null. The classroom
   * options are refused in chat mode rather than silently ignored.
   */
  public static ClassroomConfig from(CommandLine line, ServerConfig server) throws ParseException {
    String mode = MODE.given(line) ? MODE.text(line) : MODE.defaultValue();
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "chat" -> {
        for (Setting<Object> row : List.of(RELAY, ONCE, QUIET_MS, PAIR_TIMEOUT)) {
          if (row.given(line)) {
            throw new ParseException("--" + row.name() + " needs --mode classroom");
          }
        }
        return null;
      }
      case "classroom" -> {
        return new ClassroomConfig(
            server,
            RELAY.given(line),
            ONCE.given(line),
            Duration.ofMillis(QUIET_MS.wholeOrDefault(line)),
            Duration.ofSeconds(PAIR_TIMEOUT.wholeOrDefault(line)));
      }
      default -> throw new ParseException("--mode is chat or classroom, got '" + mode + "'");
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
