package dev.parley.server.chat;

/**
 * Why connections close, as {@code parley_disconnects_total} labels them: a fixed set, so that no
 * client can add series. A close reason carries detail after the label ("TLS handshake failed: The
 * client supported protocol versions [...] are not accepted ..."), which is the client's to choose;
 * that detail goes to the log line of the close only.
 */
enum DisconnectReason {
  QUIT("quit"),
  CONNECTION_CLOSED("connection closed"),
  CONNECTION_LOST("connection lost"),
  TOO_SLOW("too slow"),
  PING_TIMEOUT("ping timeout"),
  SIGN_IN_TIMEOUT("sign-in timeout"),
  SERVER_SHUTTING_DOWN("server shutting down"),
  SERVER_FULL("server full"),
  INTERNAL_ERROR("internal error"),
  // A transport that broke before it was established: "<step> failed: <why>" (TransportLayer).
  TLS_HANDSHAKE_FAILED("TLS handshake failed"),
  HTTP_REQUEST_FAILED("HTTP request failed"),
  HTTP_RESPONSE_FAILED("HTTP response failed"),
  OTHER("other");

  private final String label;

  DisconnectReason(String label) {
    this.label = label;
  }

  /** The metric label. */
  String label() {
    return label;
  }

  /** Whether the connection broke before its transport was up (a handshake, a web request). */
  boolean beforeTransport() {
    return this == TLS_HANDSHAKE_FAILED
        || this == HTTP_REQUEST_FAILED
        || this == HTTP_RESPONSE_FAILED;
  }

  /** The reason {@code reason} counts as: its label exactly, or its label and ": " a detail. */
  static DisconnectReason of(String reason) {
    if (reason == null) {
      return OTHER;
    }
    for (DisconnectReason r : values()) {
      if (reason.startsWith(r.label)
          && (reason.length() == r.label.length() || reason.startsWith(": ", r.label.length()))) {
        return r;
      }
    }
    return OTHER;
  }
}
