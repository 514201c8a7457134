package dev.parley.server.soak;

import java.util.Locale;

/** What a soak client does with what it is sent. A client's number fixes its kind and its name. */
enum Kind {
  /** reads everything; chats, DMs, lists, asks for history, leaves and comes back */
  NORMAL('n'),
  /** as NORMAL, but takes at most a few KB per 100 ms from its socket */
  SLOW('s'),
  /** signs in and never reads again (until the test ends) */
  NEVER_READS('z'),
  /** as NORMAL, and often resets its connection in the middle of something */
  RESETS('r'),
  /**
   * sends 4 KB DMs to one client that never reads, as fast as its rate allowance lets it, so that
   * client is dropped as too slow within seconds despite the kernel's buffers
   */
  FLOODS('f');

  private final char prefix; // of the names of clients of this kind

  Kind(char prefix) {
    this.prefix = prefix;
  }

  /**
   * The kind of client number {@code i}: of every 20, one is slow, one never reads, two reset, and
   * among the first 200 one floods; the rest are normal.
   */
  static Kind of(int i) {
    int bucket = i % 20;
    if (bucket == 4 && i < 200) {
      return FLOODS;
    } else if (bucket == 0) {
      return SLOW;
    } else if (bucket == 1) {
      return NEVER_READS;
    } else if (bucket == 2 || bucket == 3) {
      return RESETS;
    }
    return NORMAL;
  }

  /** The name client number {@code i} signs in with, whatever its kind. */
  static String nameOfClient(int i) {
    return of(i).nameOf(i);
  }

  String nameOf(int id) {
    return String.format(Locale.ROOT, "%c%04d", prefix, id);
  }
}
