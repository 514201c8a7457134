package dev.parley.protocol;

/** A line that cannot be understood; carries the error code and the reason to send back. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String reason) {
    // No stack trace: this is an expected outcome of bad input, raised once per bad line.
    super(reason, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public String reason() {
    return getMessage();
  }
}
