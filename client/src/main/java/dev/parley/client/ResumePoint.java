package dev.parley.client;

import dev.parley.protocol.ServerLine;

/**
 * The answer to {@code C SEQ} (protocol section 10): the server history's identity and its newest
 * seq. Pure, any thread.
 *
 * @param epoch names one history; seqs of different epochs are not comparable
 * @param lastSeq the newest seq stored when the server answered
 */
record ResumePoint(String epoch, long lastSeq) {
  /** The resume point {@code line} carries, or null when it is not a {@code C SEQ} answer. */
  static ResumePoint parse(ServerLine line) {
    if (!(line instanceof ServerLine.Unknown unknown)) {
      return null;
    }
    String[] words = unknown.line().split(" ", -1);
    if (words.length != 4 || !words[0].equals("C") || !words[1].equals("SEQ")) {
      return null;
    }
    if (!words[2].matches("[A-Za-z0-9_-]{1,64}") || !words[3].matches("[0-9]{1,18}")) {
      return null;
    }
    return new ResumePoint(words[2], Long.parseLong(words[3]));
  }
}
