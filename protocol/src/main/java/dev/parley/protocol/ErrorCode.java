package dev.parley.protocol;

/** Every error code of parley/1 with the reason sent when nothing more specific is known. */
public enum ErrorCode {
  MALFORMED(400, "malformed line"),
  WRONG_PASSWORD(401, "wrong password"),
  NOT_IN_ROOM(403, "not in that room"),
  NOT_ONLINE(404, "no such user online"),
  TOO_MANY_ROOMS(405, "too many rooms"),
  NAME_TAKEN(409, "name already in use"),
  NOT_EXPECTED(412, "line not expected in this state"),
  LINE_TOO_LONG(413, "line too long"),
  INVALID_NAME(422, "invalid name"),
  TOO_MANY_ATTEMPTS(429, "too many failed sign-ins; wait before trying again"),
  STORE_FAILED(500, "the server could not store the message; it was not sent"),
  SERVER_FULL(503, "server full");

  private final int code;
  private final String defaultReason;

  ErrorCode(int code, String defaultReason) {
    this.code = code;
    this.defaultReason = defaultReason;
  }

  public int code() {
    return code;
  }

  public String defaultReason() {
    return defaultReason;
  }

  /** The code with this number, or null when parley/1 defines none. */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
