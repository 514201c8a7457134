package dev.parley.client;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyboard thread: a plain daemon thread blocking on the {@link Keyboard}. It reads only when
 * the session asks ({@link Prompter}) and hands every line over with {@link ChatClient#execute}; it
 * never touches the channel. An entry holding several lines (a block pasted at a terminal) is
 * handed over as that many lines, in order.
 *
 * <p>Flow control: at most {@link #MAX_LINES_IN_FLIGHT} lines may be read and not yet written to
 * the socket, so piping a large file into the client cannot fill the heap while the server (which
 * slows fast senders down) takes its time.
 *
 * <p>Threads: the {@code Prompter} methods and {@link #start} may be called from any thread; {@link
 * #readName} only before {@link #start}.
 */
public final class ConsoleReader implements Prompter {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleReader.class);

  static final int MAX_LINES_IN_FLIGHT = 256;

  /** The prompt in front of the input line at a terminal. */
  static final String PROMPT = "> ";

  static final String PASSWORD_PROMPT = "Enter Password: ";

  private enum Request {
    NAME,
    PASSWORD,
    LINES
  }

  private final Keyboard keyboard;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final Semaphore inFlight = new Semaphore(MAX_LINES_IN_FLIGHT);
  private final Thread thread;
  private volatile ChatClient client;
  private volatile ClientSession session;
  private volatile String prompt = PROMPT; // the current room's, once one is joined

  public ConsoleReader(Keyboard keyboard) {
    this.keyboard = keyboard;
    this.thread = new Thread(this::run, "parley-console");
    this.thread.setDaemon(true); // blocked in read(): must not keep the JVM alive at exit
  }

  /**
   * Reads one line on the calling thread, before the reader thread runs; null at end of input. For
   * the name asked before connecting.
   */
  String readName() throws IOException {
    return keyboard.readLine(Display.NAME_PROMPT);
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

  @Override
  public void promptChanged(String prompt) {
    this.prompt = prompt;
    keyboard.promptChanged(prompt);
  }

  private void run() {
    try {
      while (true) {
        switch (requests.take()) {
          case NAME -> {
            String name = readLine(Display.NAME_PROMPT);
            client.execute(() -> session.nameTyped(name));
          }
          case PASSWORD -> {
            char[] password = readPassword();
            client.execute(() -> session.passwordTyped(password));
          }
          case LINES -> {
            readLines();
            return;
          }
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
      String entry = readLine(prompt);
      if (entry == null) {
        client.execute(session::inputEnded);
        return;
      }
      String[] lines = entry.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          inFlight.acquire(); // one permit per line handed over; the first was taken above
        }
        String line = lines[i];
        client.execute(() -> session.typed(line, inFlight::release));
      }
    }
  }

  private String readLine(String prompt) {
    try {
      return keyboard.readLine(prompt);
    } catch (IOException | RuntimeException e) {
      LOG.warn("stopped reading input: {}", e.getMessage());
      return null;
    }
  }

  private char[] readPassword() {
    try {
      return keyboard.readPassword(PASSWORD_PROMPT);
    } catch (IOException | RuntimeException e) {
      LOG.warn("stopped reading input: {}", e.getMessage());
      return null;
    }
  }
}
