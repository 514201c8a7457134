package dev.parley.client;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyboard side: a plain daemon thread blocking on stdin (UTF-8). It reads only when the
 * session asks ({@link ClientSession.Prompter}) and hands every line over with {@link
 * ChatClient#execute}; it never touches the channel.
 *
 * <p>Flow control: at most {@link #MAX_LINES_IN_FLIGHT} lines may be read and not yet written to
 * the socket, so piping a large file into the client cannot fill the heap while the server (which
 * slows fast senders down) takes its time.
 *
 * <p>Threads: the {@code Prompter} methods and {@link #start} may be called from any thread; {@link
 * #readName} only before {@link #start}.
 */
public final class ConsoleReader implements ClientSession.Prompter {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleReader.class);

  static final int MAX_LINES_IN_FLIGHT = 256;

  private enum Request {
    NAME,
    PASSWORD,
    LINES
  }

  private final BufferedReader reader;
  private final Console console; // null when stdin is not a terminal
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final Semaphore inFlight = new Semaphore(MAX_LINES_IN_FLIGHT);
  private final Thread thread;
  private volatile ChatClient client;
  private volatile ClientSession session;

  /**
   * @param in what the person types (or the script)
   * @param console the terminal for reading passwords without echo; null when there is none
   */
  public ConsoleReader(InputStream in, Console console) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.console = console;
    this.thread = new Thread(this::run, "parley-console");
    this.thread.setDaemon(true); // blocked in read(): must not keep the JVM alive at exit
  }

  /**
   * Reads one line on the calling thread, before the reader thread runs; null at end of input. For
   * the name asked before connecting.
   */
  String readName() throws IOException {
    return reader.readLine();
  }

  /** Starts the reader thread, which hands lines to {@code session} on {@code client}'s loop. */
  void start(ChatClient client, ClientSession session) {
    this.client = client;
    this.session = session;
    thread.start();
  }

  @Override
  public void askName() {
    requests.add(Request.NAME);
  }

  @Override
  public void askPassword() {
    requests.add(Request.PASSWORD);
  }

  @Override
  public void startReading() {
    requests.add(Request.LINES);
  }

  private void run() {
    try {
      while (true) {
        switch (requests.take()) {
          case NAME:
            String name = readLine();
            client.execute(() -> session.nameTyped(name));
            break;
          case PASSWORD:
            char[] password = readPassword();
            client.execute(() -> session.passwordTyped(password));
            break;
          case LINES:
            readLines();
            return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLines() throws InterruptedException {
    while (true) {
      // Take the permit before reading, so a line never waits in this thread unsent.
      inFlight.acquire();
      String line = readLine();
      if (line == null) {
        client.execute(session::inputEnded);
        return;
      }
      client.execute(() -> session.typed(line, inFlight::release));
    }
  }

  private String readLine() {
    try {
      return reader.readLine();
    } catch (IOException e) {
      LOG.warn("stopped reading input: {}", ChatClient.describe(e));
      return null;
    }
  }

  private char[] readPassword() {
    if (console == null) {
      String line = readLine(); // no terminal to turn echo off on
      return line == null ? null : line.toCharArray();
    }
    try {
      return console.readPassword("Enter Password: ");
    } catch (IOError e) {
      LOG.warn("stopped reading input: {}", e.getMessage());
      return null;
    }
  }
}
