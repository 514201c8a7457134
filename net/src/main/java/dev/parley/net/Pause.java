package dev.parley.net;

/**
 * Why a {@link Connection} is not reading. Each reason is set and cleared by the one party that
 * knows when it starts and ends; while any reason holds the connection reads nothing, like Netty's
 * {@code AUTO_READ} off or Jetty's {@code fillInterested} not asked. Once none holds it reads
 * again, though not from the socket until its own leftovers are dealt with (bytes it kept back, an
 * end of stream not yet told to the handler: {@code Connection.wantsRead}), and only when its
 * transport layer can (a TLS handshake may need a write first, or work off the loop: {@code
 * TransportLayer.interestOps}).
 */
public enum Pause {
  /** Too many of the handler's replies wait behind answers from other threads (the store). */
  REPLIES_HELD,
  /** The client used up its rate allowance; a timer clears this when a token is back. */
  RATE,
  /** A password is being checked off the loop; the next line waits for the answer. */
  PASSWORD_CHECK,
  /** A room a {@code C JOIN} names is being read from the store; the next line waits for it. */
  ROOM_LOADING,
  /** The handler's exchange does not want this peer's bytes now (classroom: not its turn). */
  NOT_ITS_TURN,
  /** The peer this one talks to has too much queued (classroom relay): wait until it drains. */
  PEER_BACKLOGGED,
  /**
   * The outbound queue went above its high-water mark and has not yet drained to the low one, so a
   * client that floods without reading its replies cannot grow the server's memory.
   */
  OUTPUT_HIGH_WATER,
  /** The peer sent end of stream: nothing more will come. */
  INPUT_ENDED,
  /** The connection or its handler is on its way out. */
  CLOSING
}
