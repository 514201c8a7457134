package dev.parley.client;

import java.io.IOException;

/** Where typed lines come from: a terminal or a script. One reading thread at a time. */
public interface Keyboard {
  /**
   * The next line, after showing {@code prompt} where a person would see it; null at the end of
   * input. At a terminal one entry may hold several lines (a pasted block), separated by LF.
   */
  String readLine(String prompt) throws IOException;

  /** The next line read without echo, never kept in any history; null at the end of input. */
  char[] readPassword(String prompt) throws IOException;

  /**
   * The line being read should now show {@code prompt}; the next {@link #readLine} is given it too.
   * Any thread. Where no person sees a prompt, nothing happens.
   */
  default void promptChanged(String prompt) {}
}
