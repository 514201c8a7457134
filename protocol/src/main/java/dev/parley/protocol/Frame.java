package dev.parley.protocol;

/** What {@link LineDecoder} makes of the bytes of one line: its text, or the reason it has none. */
public sealed interface Frame {

  /** A complete line, without its LF and without the one CR before it. */
  record Text(String text) implements Frame {}

  /** A line that cannot be handed on; the connection stays usable. */
  enum Fault implements Frame {
    TOO_LONG(ErrorCode.LINE_TOO_LONG, "line too long"),
    INVALID_UTF8(ErrorCode.MALFORMED, "line is not valid UTF-8");

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
