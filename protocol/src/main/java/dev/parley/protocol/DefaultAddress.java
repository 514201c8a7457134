package dev.parley.protocol;

/**
 * Where a server listens unless told otherwise, and so where a client connects unless told
 * otherwise: one pair of constants for both ends.
 */
public final class DefaultAddress {
  /** Loopback: a server serves its own machine until given {@code --host 0.0.0.0}. */
  public static final String HOST = "127.0.0.1";

  public static final int PORT = 5000;

  private DefaultAddress() {}
}
