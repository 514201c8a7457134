package dev.parley.client;

/** Asks the keyboard side for input. Called on the loop thread; must not block. */
interface Prompter {
  /**
   * Read one line as a name; it comes back as {@link ClientSession#nameTyped} (null at end of
   * input).
   */
  void askName();

  /**
   * Read a password without echo; it comes back as {@link ClientSession#passwordTyped} (null at
   * end).
   */
  void askPassword();

  /**
   * From now on read lines for chat: each comes back as {@link ClientSession#typed}, then {@link
   * ClientSession#inputEnded}.
   */
  void startReading();

  /** The prompt in front of chat lines is now {@code prompt} (the current room changed). */
  default void promptChanged(String prompt) {}
}
