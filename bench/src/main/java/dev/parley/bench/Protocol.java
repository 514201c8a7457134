package dev.parley.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the bench says to a server and how it reads the answers: parley/1 or Redis RESP. Parsing
 * works on the bytes as they came, without making a String or any other object per line.
 */
abstract class Protocol {

  /** What the parser found; the driver counts it. */
  interface Events {
    /** The connection is signed in (parley {@code C READY}) or subscribed (Redis). */
    void onReady(Client c);

    /** A delivered message whose text is {@code length} bytes at {@code a[textAt]}. */
    void onDelivery(Client c, byte[] a, int textAt, int length);

    /** The server confirmed one of this publisher's messages. */
    void onConfirm(Client c);

    /** The server refused something or is closing the connection. */
    void onError(Client c, String line);

    /** The server wants these bytes sent back (a {@code C PONG}). */
    void reply(Client c, byte[] bytes);
  }

  final Payload payload;
  final int size;

  Protocol(Payload payload, int size) {
    this.payload = payload;
    this.size = size;
  }

  /** "parley" or "redis", for the summary. */
  abstract String name();

  /** What a new connection sends first: a sign-in or a subscription. */
  abstract byte[] hello(Client c);

  /** The most bytes {@link #putRequest} writes. */
  abstract int maxRequestBytes();

  /**
   * Writes the request that sends publisher {@code p}'s message number {@code number}, stamped with
   * {@code nanos}, at the position of {@code out}.
   */
  abstract void putRequest(ByteBuffer out, Client p, long number, long nanos);

  /**
   * Handles every complete frame in {@code a[from, to)} and returns the index just after the last
   * one; the bytes from there on are an incomplete frame for the next read to finish.
   */
  abstract int parse(Client c, byte[] a, int from, int to, Events events);

  static int indexOf(byte[] a, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  static boolean startsWith(byte[] a, int at, int to, byte[] prefix) {
    if (to - at < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] part : parts) {
      n += part.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
