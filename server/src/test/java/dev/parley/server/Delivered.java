package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code D PM} or {@code D DM} line as a client received it, taken apart; parsing fails the test
 * when the line does not have the shape of section 5 of the protocol.
 *
 * @param to the DM recipient, or null for a PM
 */
public record Delivered(String kind, long seq, String time, String from, String to, String text) {
  /** ISO-8601 UTC with exactly three fraction digits. */
  static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  private static final Pattern PM = Pattern.compile("D PM ([1-9]\\d*) (" + TIME + ") (\\S+) (.*)");
  private static final Pattern DM =
      Pattern.compile("D DM ([1-9]\\d*) (" + TIME + ") (\\S+) (\\S+) (.*)");

  public static Delivered pm(String line) {
    Matcher m = PM.matcher(line);
    assertTrue(m.matches(), "not a D PM line: " + line);
    return new Delivered(
        "PM", Long.parseLong(m.group(1)), m.group(2), m.group(3), null, m.group(4));
  }

  public static Delivered dm(String line) {
    Matcher m = DM.matcher(line);
    assertTrue(m.matches(), "not a D DM line: " + line);
    return new Delivered(
        "DM", Long.parseLong(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5));
  }

  /**
   * "seq kind from [to] text" of each history line, without the time: for comparing histories whose
   * times the test cannot know.
   */
  public static List<String> withoutTimes(List<String> lines) {
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      String[] w = line.split(" ", 5); // D kind seq time rest
      result.add(w[2] + " " + w[1] + " " + w[4]);
    }
    return result;
  }

  /** The wire form again: a test can build the exact line it expects from the seq and time. */
  String line() {
    return to == null
        ? "D PM " + seq + " " + time + " " + from + " " + text
        : "D DM " + seq + " " + time + " " + from + " " + to + " " + text;
  }
}
