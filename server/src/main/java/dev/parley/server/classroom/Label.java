package dev.parley.server.classroom;

/** The two places of a pair: X is the first connection accepted, Y the second. Any thread. */
enum Label {
  X,
  Y;

  /** {@code Client X: }, the label a classroom client puts before its message. */
  String clientPrefix() {
    return "Client " + name() + ": ";
  }
}
