package dev.parley.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Redis pub/sub over RESP, the same workload for comparison: subscribers {@code SUBSCRIBE} to one
 * channel, publishers {@code PUBLISH} to it and count the integer reply as the confirmation, and
 * every {@code message} push is a delivery.
 */
final class RedisProtocol extends Protocol {
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] PING = ascii("*1\r\n$4\r\nPING\r\n");

  private final byte[] subscribe;
  private final byte[] request; // PUBLISH <channel> <text>
  private final int textOffset;

  private int bulkAt; // where the last bulk string read by element() starts
  private int bulkLength; // and its length; -1 for a null bulk

  RedisProtocol(Payload payload, int size, String channel) {
    super(payload, size);
    byte[] ch = ascii(channel);
    this.subscribe = concat(ascii("*2\r\n$9\r\nSUBSCRIBE\r\n"), bulk(ch));
    byte[] head = concat(ascii("*3\r\n$7\r\nPUBLISH\r\n"), bulk(ch));
    byte[] textHead = ascii("$" + size + "\r\n");
    this.textOffset = head.length + textHead.length;
    this.request = concat(head, textHead, payload.template(size), new byte[] {CR, LF});
  }

  @Override
  String name() {
    return "redis";
  }

  @Override
  byte[] hello(Client c) {
    return c.publisher ? PING : subscribe;
  }

  @Override
  int maxRequestBytes() {
    return request.length;
  }

  @Override
  void putRequest(ByteBuffer out, Client p, long number, long nanos) {
    int at = out.position();
    out.put(request);
    Payload.stamp(out, at + textOffset, nanos);
  }

  @Override
  int parse(Client c, byte[] a, int from, int to, Events events) {
    int p = from;
    while (p < to) {
      int next = frame(c, a, p, to, events);
      if (next < 0) {
        return p;
      }
      p = next;
    }
    return p;
  }

  /** Handles the frame at {@code p}; returns the index after it, or -1 if it is incomplete. */
  private int frame(Client c, byte[] a, int p, int to, Events events) {
    byte type = a[p];
    if (type != '*') {
      int lf = indexOf(a, LF, p, to);
      if (lf < 0) {
        return -1;
      }
      if (type == ':') {
        events.onConfirm(c);
      } else if (type == '+') {
        if (c.publisher) {
          events.onReady(c); // +PONG
        }
      } else if (type == '-') {
        events.onError(c, new String(a, p, lf - p - 1, StandardCharsets.UTF_8));
      } else if (type == '$') {
        return element(a, p, to);
      }
      return lf + 1;
    }
    int lf = indexOf(a, LF, p, to);
    if (lf < 0) {
      return -1;
    }
    long n = number(a, p + 1, lf - 1);
    int q = lf + 1;
    int kindAt = -1;
    int kindLength = 0;
    for (long i = 0; i < n; i++) {
      q = element(a, q, to);
      if (q < 0) {
        return -1;
      }
      if (i == 0) {
        kindAt = bulkAt;
        kindLength = bulkLength;
      }
    }
    if (kindAt < 0 || kindLength <= 0) {
      return q;
    }
    byte k = a[kindAt];
    if (k == 'm' && kindLength == 7) {
      events.onDelivery(c, a, bulkAt, bulkLength); // message <channel> <text>
    } else if (k == 's' && kindLength == 9) {
      events.onReady(c); // subscribe <channel> <count>
    }
    return q;
  }

  /** Reads one bulk string or simple value at {@code p}; -1 if incomplete. */
  private int element(byte[] a, int p, int to) {
    if (p >= to) {
      return -1;
    }
    int lf = indexOf(a, LF, p, to);
    if (lf < 0) {
      return -1;
    }
    if (a[p] != '$') {
      bulkAt = -1;
      bulkLength = -1;
      return lf + 1;
    }
    long length = number(a, p + 1, lf - 1);
    if (length < 0) {
      bulkAt = -1;
      bulkLength = -1;
      return lf + 1;
    }
    long end = lf + 1 + length + 2;
    if (end > to) {
      return -1;
    }
    bulkAt = lf + 1;
    bulkLength = (int) length;
    return (int) end;
  }

  private static long number(byte[] a, int from, int to) {
    boolean negative = from < to && a[from] == '-';
    long v = 0;
    for (int i = negative ? from + 1 : from; i < to; i++) {
      v = v * 10 + (a[i] - '0');
    }
    return negative ? -v : v;
  }

  private static byte[] bulk(byte[] data) {
    return concat(ascii("$" + data.length + "\r\n"), data, new byte[] {CR, LF});
  }
}
