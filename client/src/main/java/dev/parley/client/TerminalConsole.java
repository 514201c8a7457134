package dev.parley.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/**
 * The keyboard and screen at a terminal, on JLine: an input line with editing (arrows, Home/End,
 * Ctrl-A/E/W/U/K, Ctrl-L), history kept across runs (Up/Down, Ctrl-R), Tab completion, and lines
 * from the network printed above the input line, which is then redrawn as it was. A line the client
 * would refuse is not sent: the reason is shown above, the input is cleared, and Up brings the line
 * back for editing.
 *
 * <p>Threads: {@link #readLine} and {@link #readPassword} on one reading thread; {@link #show} and
 * {@link #fail} from any thread (JLine redraws the input line under its own lock); {@link #close}
 * once, at the end.
 */
public final class TerminalConsole implements Keyboard, Screen, AutoCloseable {
  /** Where the input history is kept, in the user's home (like {@code ~/.rediscli_history}). */
  static final String HISTORY_FILE = ".parley_history";

  /** What a refusal adds to its reason: the line is cleared, and kept in the history. */
  static final String UP_TO_EDIT = " (Up brings the line back)";

  private static final String ACCEPT = "parley-accept";
  private static final String NEW_PROMPT = "parley-new-prompt";
  private static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";

  private final Terminal terminal;
  private final LineReader reader;
  private final DefaultHistory history;
  private final Function<String, String> check;
  private final boolean colour;
  private volatile boolean checking; // reading chat lines, where the check applies
  private volatile String newPrompt; // what promptChanged asked the line being read to show

  /**
   * @param terminal the terminal to read and draw on; closed by {@link #close}
   * @param historyFile where the input history is kept; null for none
   * @param names the names Tab completes (the users online now)
   * @param rooms the room names Tab completes after a room command (the rooms joined now)
   * @param check for each line of an entry, why it would be refused (shown above the input, which
   *     is cleared; Up brings the entry back), or null when it may go
   * @param colour whether failures are shown in red
   */
  TerminalConsole(
      Terminal terminal,
      Path historyFile,
      Supplier<List<String>> names,
      Supplier<List<String>> rooms,
      Function<String, String> check,
      boolean colour) {
    this.terminal = terminal;
    this.check = check;
    this.colour = colour;
    this.history = new SecretFreeHistory();
    LineReaderBuilder builder =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("parley")
            .history(history)
            .completer(
                (r, line, candidates) -> {
                  String before = line.line().substring(0, line.cursor());
                  for (String word : Completions.candidates(before, names.get(), rooms.get())) {
                    candidates.add(new Candidate(word));
                  }
                })
            .option(LineReader.Option.CASE_INSENSITIVE, true)
            .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            // A sent line leaves the input line: it comes back in the timeline once confirmed.
            .option(LineReader.Option.ERASE_LINE_ON_FINISH, true);
    if (historyFile != null) {
      builder.variable(LineReader.HISTORY_FILE, historyFile);
    }
    this.reader = builder.build();
    reader.getWidgets().put(ACCEPT, this::acceptIfFit);
    reader.getWidgets().put(NEW_PROMPT, this::showNewPrompt);
    KeyMap<Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
    main.bind(new Reference(ACCEPT), KeyMap.ctrl('M'), KeyMap.ctrl('J'));
  }

  /** The console on the process's own terminal, with the history file in the user's home. */
  static TerminalConsole system(
      Supplier<List<String>> names,
      Supplier<List<String>> rooms,
      Function<String, String> check,
      boolean colour)
      throws IOException {
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    // $HOME first, as shells and other clients read it; the JVM's user.home comes from passwd.
    String fromEnvironment = System.getenv("HOME");
    Path home =
        Path.of(
            fromEnvironment == null || fromEnvironment.isEmpty()
                ? System.getProperty("user.home")
                : fromEnvironment);
    return new TerminalConsole(terminal, home.resolve(HISTORY_FILE), names, rooms, check, colour);
  }

  /** Whether the terminal can show colours at all (a dumb one cannot). */
  boolean supportsColour() {
    return !Terminal.TYPE_DUMB.equals(terminal.getType())
        && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
  }

  @Override
  public String readLine(String prompt) throws IOException {
    checking = prompt.endsWith(ConsoleReader.PROMPT); // "> " or a room's "#rust> "
    boolean keep = checking; // a name is not worth keeping in the history
    reader.setVariable(LineReader.DISABLE_HISTORY, !keep);
    while (true) {
      try {
        return reader.readLine(prompt);
      } catch (UserInterruptException e) {
        // Ctrl-C clears a line being typed; on an empty line it leaves.
        if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
          return null;
        }
      } catch (EndOfFileException e) {
        return null;
      } catch (UncheckedIOException | IllegalStateException e) {
        return null; // the terminal was closed under the reader: the client is ending
      }
    }
  }

  /** Shows {@code prompt} in front of the chat line being read, keeping what is typed on it. */
  @Override
  public void promptChanged(String prompt) {
    newPrompt = prompt;
    if (!checking || !reader.isReading()) {
      return; // the next readLine is given the new prompt
    }
    try {
      reader.callWidget(NEW_PROMPT); // under the reader's lock, as keys are handled
    } catch (IllegalStateException e) {
      // The read ended in between: the next one is given the new prompt.
    }
  }

  private boolean showNewPrompt() {
    if (reader instanceof LineReaderImpl impl && newPrompt != null) {
      impl.setPrompt(newPrompt);
      impl.redrawLine();
      impl.redisplay();
    }
    return true;
  }

  @Override
  public char[] readPassword(String prompt) throws IOException {
    checking = false;
    reader.setVariable(LineReader.DISABLE_HISTORY, true);
    try {
      String typed = reader.readLine(prompt, '\0');
      return typed == null ? null : typed.toCharArray();
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void show(String text) {
    reader.printAbove(text);
  }

  @Override
  public void fail(String text) {
    reader.printAbove(colour ? RED + text + RESET : text);
  }

  /**
   * The accept key: sends the entry if every line of it may go; else says why and clears the input,
   * keeping the entry in the history, where Up finds it. Left in place, a refused entry would have
   * the next thing typed appended to it ({@code /frobnicate/msg nobody hi}).
   */
  private boolean acceptIfFit() {
    if (checking) {
      String entry = reader.getBuffer().toString();
      for (String line : entry.split("\n", -1)) {
        String refusal = check.apply(line);
        if (refusal != null) {
          reader.printAbove(refusal);
          history.add(entry);
          history.moveToEnd();
          reader.getBuffer().clear();
          return true;
        }
      }
    }
    reader.callWidget(LineReader.ACCEPT_LINE);
    return true;
  }

  /**
   * Restores the terminal. Whatever was typed and not yet read is read and dropped first, so that
   * none of it reaches the shell after the client exits.
   */
  @Override
  public void close() {
    try {
      history.save();
    } catch (IOException e) {
      // The history is a convenience; losing this session's lines is not worth a word at exit.
    }
    try {
      NonBlockingReader input = terminal.reader();
      for (int i = 0; i < 10_000 && input.read(20) >= 0; i++) {
        // drop it
      }
      terminal.writer().println();
      terminal.flush();
      terminal.close();
    } catch (IOException e) {
      // The terminal is gone already; nothing is left to restore.
    }
  }

  /** The input history, which never keeps a password typed as a protocol line. */
  private static final class SecretFreeHistory extends DefaultHistory {
    @Override
    public void add(Instant time, String line) {
      String upper = line.stripLeading().toUpperCase(Locale.ROOT);
      if (upper.startsWith("C PASS")) {
        return;
      }
      super.add(time, line);
    }
  }
}
