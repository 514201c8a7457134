package dev.parley.client;

import dev.parley.protocol.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What Tab may complete the word being typed to: a {@code /command} at the start of a line, a
 * protocol keyword after {@code C }, a joined room's name after a room command ({@code /join},
 * {@code /part}, {@code /topic}, {@code /switch}, {@code /go}), and otherwise the name of someone
 * online. Pure, any thread; the terminal's completer asks it with the names the session currently
 * knows.
 */
final class Completions {
  private Completions() {}

  /**
   * The candidates for the last word of {@code beforeCursor} (the line up to the cursor), each a
   * whole word that starts with what was typed, ignoring case.
   *
   * @param online the names of the users online now
   */
  static List<String> candidates(String beforeCursor, Collection<String> online) {
    return candidates(beforeCursor, online, List.of());
  }

  /**
   * As {@link #candidates(String, Collection)}, with the rooms joined for a room command's word.
   *
   * @param rooms the rooms joined now
   */
  static List<String> candidates(
      String beforeCursor, Collection<String> online, Collection<String> rooms) {
    int start = beforeCursor.lastIndexOf(' ') + 1;
    String word = beforeCursor.substring(start);
    List<String> words = new ArrayList<>();
    if (start == 0 && word.startsWith("/")) {
      words.addAll(InputTranslator.SLASH_COMMANDS);
    } else if (InputTranslator.ROOM_COMMANDS.contains(beforeCursor.substring(0, start).strip())) {
      // The room word right after the command (Tab on the command leaves a space after it).
      words.addAll(rooms);
    } else if (beforeCursor.startsWith("C ") && beforeCursor.indexOf(' ', 2) < 0) {
      for (Keyword k : Keyword.values()) {
        if (k.isClientCommand()) {
          words.add(k.name());
        }
      }
      words.addAll(online); // C <name> at a DM's recipient step
    } else if (!(start == 0 && (word.equals("C") || word.equals("D")))) {
      words.addAll(online);
    }
    String prefix = word.toLowerCase(Locale.ROOT);
    List<String> matching = new ArrayList<>();
    for (String candidate : words) {
      if (candidate.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        matching.add(candidate);
      }
    }
    return matching;
  }
}
