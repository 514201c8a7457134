package dev.parley.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.ScreenTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JLine console on an in-process xterm-256color terminal on streams: keys go in through a pipe,
 * and what the console draws is replayed on JLine's own screen emulator to see the screen a person
 * would.
 */
class TerminalConsoleTest {
  private static final int COLUMNS = 200;
  private static final int ROWS = 60;

  private final PipedOutputStream keys = new PipedOutputStream();
  private final ByteArrayOutputStream drawn = new ByteArrayOutputStream();
  private Terminal terminal;
  private TerminalConsole console;

  @TempDir Path home;

  @BeforeEach
  void openTerminal() throws IOException {
    // The terminal on streams with its own line discipline, as JLine's TerminalBuilder makes
    // for streams where no pty is to be had: deterministic, and the same key handling.
    terminal =
        new ExternalTerminal(
            "test",
            "xterm-256color",
            new PipedInputStream(keys, 64 * 1024),
            drawn,
            StandardCharsets.UTF_8);
    terminal.setSize(Size.of(COLUMNS, ROWS));
    console =
        new TerminalConsole(
            terminal,
            home.resolve(TerminalConsole.HISTORY_FILE),
            () -> List.of("alice", "bob", "carol"),
            () -> List.of("#main", "#rust"),
            line -> Main.refusal(line, false),
            false);
  }

  @AfterEach
  void closeTerminal() throws IOException {
    keys.close();
    terminal.close();
  }

  private void type(String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  /**
   * Reads one chat line on another thread, as the keyboard thread does, once the prompt is drawn:
   * keys typed before that meet the terminal in cooked mode, as at a real terminal.
   */
  private CompletableFuture<String> readLine() {
    int prompts = prompts(ConsoleReader.PROMPT);
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return console.readLine(ConsoleReader.PROMPT);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    awaitPrompt(ConsoleReader.PROMPT, prompts);
    return line;
  }

  /** How many rows start with {@code prompt}. */
  private int prompts(String prompt) {
    return (int) screen().stream().filter(row -> row.startsWith(prompt.strip())).count();
  }

  private void awaitPrompt(String prompt, int before) {
    await().atMost(Duration.ofSeconds(5)).until(() -> prompts(prompt) > before);
  }

  /** The screen as a person sees it now: its non-blank rows, right-trimmed. */
  private List<String> screen() {
    String bytes;
    synchronized (drawn) {
      bytes = drawn.toString(StandardCharsets.UTF_8);
    }
    ScreenTerminal emulator = new ScreenTerminal(COLUMNS, ROWS);
    emulator.write(bytes);
    return Arrays.stream(emulator.toString().split("\n"))
        .map(String::stripTrailing)
        .filter(row -> !row.isEmpty())
        .toList();
  }

  private void awaitScreen(List<String> rows) {
    await().atMost(Duration.ofSeconds(5)).until(() -> screen().equals(rows));
  }

  @Test
  void aMessageArrivingWhileALineIsHalfTypedGoesAboveAndLeavesTheInputIntact() throws Exception {
    CompletableFuture<String> line = readLine();
    type("the meeting is moved to");
    awaitScreen(List.of("> the meeting is moved to"));

    console.show("[01:12:27] alice: bob?? hello??");
    console.show("[01:12:28] (DM) carol -> you: bob, which room?");
    awaitScreen(
        List.of(
            "[01:12:27] alice: bob?? hello??",
            "[01:12:28] (DM) carol -> you: bob, which room?",
            "> the meeting is moved to"));

    type(" room 204 at 3pm\r");
    assertEquals("the meeting is moved to room 204 at 3pm", line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void afterJoinThePromptShowsTheRoomAndKeepsWhatIsBeingTyped() throws Exception {
    CompletableFuture<String> line = readLine();
    type("hello");
    awaitScreen(List.of("> hello"));

    // C JOINED #x arrived while the next line was being typed: the session says so.
    console.promptChanged("#x> ");
    awaitScreen(List.of("#x> hello"));

    type(" there\r");
    assertEquals("hello there", line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void tabCompletesAJoinedRoomAfterPart() throws Exception {
    CompletableFuture<String> line = readLine();
    type("/part #r\t");
    awaitScreen(List.of("> /part #rust"));
    type("\r");
    assertEquals("/part #rust", line.get(5, TimeUnit.SECONDS).strip());
  }

  @Test
  void aRefusedCommandIsExplainedAndClearedSoTheNextLineStandsAlone() throws Exception {
    CompletableFuture<String> line = readLine();
    type("/frobnicate\r");
    awaitScreen(
        List.of(
            "! not sent: unknown command /frobnicate - /help lists the commands"
                + TerminalConsole.UP_TO_EDIT,
            ">"));
    assertFalse(line.isDone());
    type("/msg nobody hi\r");
    assertEquals("/msg nobody hi", line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aLineTooLongIsRefusedAndUpBringsItBackForEditing() throws Exception {
    CompletableFuture<String> line = readLine();
    String tooLong = "y".repeat(4095); // "D " + 4095 = 4097 bytes
    type(tooLong + "\r");
    // JLine redraws the wrapped line as each of the 4095 characters arrives: on a loaded 2-core
    // machine that alone can take seconds, so the wait is generous (it ends as soon as it holds).
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                screen().stream()
                    .anyMatch(
                        row ->
                            row.startsWith("! not sent: the line is 4097 bytes and the server")));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> screen().get(screen().size() - 1).equals(">"));
    assertFalse(line.isDone());
    type("\u001bOA\u0008\r"); // Up (as xterm sends it), Backspace: now it fits
    assertEquals("y".repeat(4094), line.get(60, TimeUnit.SECONDS));
  }

  @Test
  void tabCompletesCommandsAndOnlineNames() throws Exception {
    CompletableFuture<String> line = readLine();
    type("/ms\t");
    type("ca\t");
    type("hi\r");
    assertEquals("/msg carol hi", line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void lineEditingMovesTheCursorInsteadOfSendingEscapes() throws Exception {
    CompletableFuture<String> line = readLine();
    type("abc\u001bOD\u001bODX\r"); // Left, Left (as xterm sends them), X
    assertEquals("aXbc", line.get(5, TimeUnit.SECONDS));
    line = readLine();
    type("wrong\u0015right\u0001>\u0005<\r"); // Ctrl-U, Ctrl-A, Ctrl-E
    assertEquals(">right<", line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void ctrlCClearsALineAndLeavesOnAnEmptyOne() throws Exception {
    CompletableFuture<String> line = readLine();
    type("half typed\u0003");
    type("fresh\r");
    assertEquals("fresh", line.get(5, TimeUnit.SECONDS));
    line = readLine();
    type("\u0003");
    assertNull(line.get(5, TimeUnit.SECONDS));
    line = readLine();
    type("\u0004"); // Ctrl-D
    assertNull(line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aPastedBlockComesBackAsItsLines() throws Exception {
    CompletableFuture<String> line = readLine();
    type("\u001b[200~first\nsecond\nthird\u001b[201~\r");
    assertEquals("first\nsecond\nthird", line.get(5, TimeUnit.SECONDS));
  }

  @Test
  void historyIsKeptAcrossRunsWithoutPasswords() throws Exception {
    CompletableFuture<String> line = readLine();
    type("C PASS secret\r");
    line.get(5, TimeUnit.SECONDS);
    line = readLine();
    type("hello\r");
    line.get(5, TimeUnit.SECONDS);
    int prompts = prompts(ConsoleReader.PASSWORD_PROMPT);
    CompletableFuture<char[]> password =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return console.readPassword(ConsoleReader.PASSWORD_PROMPT);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    awaitPrompt(ConsoleReader.PASSWORD_PROMPT, prompts);
    type("hunter2\r");
    assertEquals("hunter2", new String(password.get(5, TimeUnit.SECONDS)));
    console.close();

    String saved = Files.readString(home.resolve(TerminalConsole.HISTORY_FILE));
    assertTrue(saved.contains("hello"), saved);
    assertFalse(saved.contains("secret"), saved);
    assertFalse(saved.contains("hunter2"), saved);
    assertFalse(screen().stream().anyMatch(row -> row.contains("hunter2")), screen().toString());
  }
}
