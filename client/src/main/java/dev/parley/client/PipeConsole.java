package dev.parley.client;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The keyboard and screen when input is not a terminal (a script, a pipe, a test): lines are read
 * as they come, output is printed as it is produced, failures go to standard error.
 *
 * <p>Threads: {@link #readLine} and {@link #readPassword} on one reading thread; the screen methods
 * from any thread (a {@link PrintStream} prints each line whole).
 */
public final class PipeConsole implements Keyboard, Screen {
  private final BufferedReader in;
  private final PrintStream out;
  private final PrintStream err;
  private final Console console; // for a password without echo; null when there is none
  private final boolean prompts;
  private final boolean echo;

  /**
   * @param prompts whether prompts are printed before reading (the classroom transcript has them)
   * @param echo whether each line read is printed, so piped input reads like a session
   */
  public PipeConsole(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Console console,
      boolean prompts,
      boolean echo) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
    this.err = err;
    this.console = console;
    this.prompts = prompts;
    this.echo = echo;
  }

  @Override
  public String readLine(String prompt) throws IOException {
    if (prompts && !prompt.isEmpty()) {
      out.print(prompt);
      out.flush();
    }
    String line = in.readLine();
    if (line == null && prompts && !prompt.isEmpty()) {
      out.println(); // the prompt's line ends, so the next output starts on its own
    } else if (line != null && echo) {
      out.println(line);
    }
    return line;
  }

  @Override
  public char[] readPassword(String prompt) throws IOException {
    if (console == null) {
      String line = in.readLine(); // no terminal to turn echo off on
      return line == null ? null : line.toCharArray();
    }
    try {
      return console.readPassword(prompt);
    } catch (IOError e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void show(String text) {
    out.println(text);
  }

  @Override
  public void fail(String text) {
    out.flush();
    err.println(text);
  }
}
