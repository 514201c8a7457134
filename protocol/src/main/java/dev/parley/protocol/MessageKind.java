package dev.parley.protocol;

/** The two kinds of chat message: public to everyone online, or direct to one user. */
public enum MessageKind {
  PM,
  DM
}
