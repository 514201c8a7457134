package dev.parley.client;

/** Where the client's lines appear: above the input line at a terminal. Any thread. */
public interface Screen {
  /** Shows one line (or several, separated by LF); it is already neutralised and coloured. */
  void show(String text);

  /** Shows why the client ends badly (standard error in a script); plain, neutralised text. */
  void fail(String text);
}
