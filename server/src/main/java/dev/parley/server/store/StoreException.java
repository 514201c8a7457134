package dev.parley.server.store;

/** The history store could not do what was asked; the message says why, in one line. */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
