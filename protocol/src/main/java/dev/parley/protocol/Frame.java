package dev.parley.protocol;

/** What {@link LineDecoder} makes of the bytes of one line: its text, or the reason it has none. */
public sealed interface Frame {

  /** A complete line, without its LF and without the one CR before it. */
  record Text(String text) implements Frame {}

  /**
   * A line that cannot be handed on; the connection stays usable. {@link LineDecoder} makes the
   * first two; the others name what a transport that carries one line per message (WebSocket,
   * section 11 of the contract) found wrong with a message, where the decoder saw only bytes that
   * are not UTF-8.
   */
  enum Fault implements Frame {
    TOO_LONG(ErrorCode.LINE_TOO_LONG, "line too long"),
    INVALID_UTF8(ErrorCode.MALFORMED, "line is not valid UTF-8"),
    BINARY_MESSAGE(ErrorCode.MALFORMED, "binary messages are not accepted"),
    LINE_BREAK_IN_MESSAGE(ErrorCode.MALFORMED, "a message holds one line");

    private final ErrorCode code;
    private final String reason;

    Fault(ErrorCode code, String reason) {
      this.code = code;
      this.reason = reason;
    }

    public ErrorCode code() {
      return code;
    }

    public String reason() {
      return reason;
    }
  }
}
