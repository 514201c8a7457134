package dev.parley.bench;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Names;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * parley/1: sign in with {@code C NICK}, send {@code C PM} + {@code D <text>} (or {@code C DM} +
 * {@code C <name>} + {@code D <text>}) back to back, count {@code C SENT} as the confirmation and
 * {@code D PM}/{@code D DM} lines as deliveries.
 *
 * <p>A delivery line is {@code D PM <seq> <time> <from> <text>}: the parser skips four words and,
 * knowing the text's size, looks for the LF right where it should be, so it touches only the first
 * 40 or so bytes of each line.
 */
final class ParleyProtocol extends Protocol {
  private static final byte LF = '\n';
  private static final byte[] READY = ascii("C READY ");
  private static final byte[] SENT = ascii("C SENT ");
  private static final byte[] PING = ascii("C PING");
  private static final byte[] ERR = ascii("C ERR ");
  private static final byte[] RETRY = ascii("C RETRY ");
  private static final byte[] BYE = ascii("C BYE");

  private final boolean direct;
  private final String[] subscriberNames; // DM recipients, round robin
  private final byte[] pmTemplate; // "C PM\nD <text>\n"
  private final byte[] text;
  private final int maxRequestBytes;

  /**
   * @param subscriberNames the names of the subscribers, whom direct messages go to in turn; read
   *     only when {@code direct} is set, so it may be null for PMs
   */
  ParleyProtocol(Payload payload, int size, boolean direct, String[] subscriberNames) {
    super(payload, size);
    this.direct = direct;
    this.subscriberNames = subscriberNames;
    this.text = payload.template(size);
    this.pmTemplate =
        concat(
            Wire.bytes(new ClientLine.PublicMessage().format()),
            ascii("D "),
            text,
            new byte[] {LF});
    // A DM: "C DM\n" (5 bytes, 6 allowed), "C ", the longest name, LF, "D ", the text, LF.
    this.maxRequestBytes = direct ? 6 + 2 + Names.MAX_LENGTH + 1 + 2 + size + 1 : pmTemplate.length;
  }

  @Override
  String name() {
    return "parley";
  }

  @Override
  byte[] hello(Client c) {
    return Wire.bytes(new ClientLine.Nick(c.name).format());
  }

  @Override
  int maxRequestBytes() {
    return maxRequestBytes;
  }

  @Override
  void putRequest(ByteBuffer out, Client p, long number, long nanos) {
    if (!direct) {
      int at = out.position();
      out.put(pmTemplate);
      Payload.stamp(out, at + pmTemplate.length - 1 - size, nanos);
      return;
    }
    String to = subscriberNames[(int) ((p.index * 7919L + number) % subscriberNames.length)];
    out.put((byte) 'C').put((byte) ' ').put((byte) 'D').put((byte) 'M').put(LF);
    out.put((byte) 'C').put((byte) ' ');
    for (int i = 0; i < to.length(); i++) {
      out.put((byte) to.charAt(i));
    }
    out.put(LF).put((byte) 'D').put((byte) ' ');
    int at = out.position();
    out.put(text);
    Payload.stamp(out, at, nanos);
    out.put(LF);
  }

  @Override
  int parse(Client c, byte[] a, int from, int to, Events events) {
    int p = from;
    while (p < to) {
      if (a[p] == 'D') {
        // D PM <seq> <time> <from> <text>  |  D DM <seq> <time> <from> <to> <text>
        int words = p + 2 < to && a[p + 2] == 'D' ? 5 : 4;
        int q = p + 2;
        int spaces = 0;
        while (q < to && spaces < words) {
          byte b = a[q];
          if (b == ' ') {
            spaces++;
            // After <seq> comes <time>, always 24 bytes (2026-11-21T10:15:30.123Z): jump over it.
            if (spaces == 2 && q + 25 < to && a[q + 24] == 'Z' && a[q + 25] == ' ') {
              q += 25;
              continue;
            }
          } else if (b == LF) {
            break;
          }
          q++;
        }
        if (q >= to) {
          return p; // incomplete
        }
        if (spaces == words) {
          int lf = q + size;
          if (lf >= to || a[lf] != LF) {
            lf = indexOf(a, LF, q, to);
            if (lf < 0) {
              return p;
            }
          }
          events.onDelivery(c, a, q, lf - q);
          p = lf + 1;
          continue;
        }
        p = q + 1; // a short D line: not one of ours
        continue;
      }
      int lf = indexOf(a, LF, p, to);
      if (lf < 0) {
        return p;
      }
      control(c, a, p, lf, events);
      p = lf + 1;
    }
    return p;
  }

  private static void control(Client c, byte[] a, int p, int lf, Events events) {
    if (startsWith(a, p, lf, SENT)) {
      events.onConfirm(c);
    } else if (startsWith(a, p, lf, READY)) {
      events.onReady(c);
    } else if (startsWith(a, p, lf, PING)) {
      byte[] pong = new byte[lf - p + 1];
      System.arraycopy(a, p, pong, 0, lf - p + 1);
      pong[3] = 'O'; // C PING <token> -> C PONG <token>
      events.reply(c, pong);
    } else if (startsWith(a, p, lf, ERR)
        || startsWith(a, p, lf, RETRY)
        || startsWith(a, p, lf, BYE)) {
      events.onError(c, new String(a, p, lf - p, StandardCharsets.UTF_8));
    }
    // C HELLO, C PROMPT, C HISTORY, C JOIN, C LEAVE, C USERS: nothing to count
  }
}
