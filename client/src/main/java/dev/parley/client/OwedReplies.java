package dev.parley.client;

import dev.parley.protocol.ClientLine;
import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * The replies owed for the lines sent, oldest first: the server answers strictly in order, so the
 * head is what the next answer completes. Loop thread only.
 */
final class OwedReplies {
  /**
   * What completes a line this session sent. A NOTE is a local explanation for a typed line that
   * was not sent: it is shown when the replies before it are, so a script's transcript reads in the
   * order of its lines.
   */
  enum Reply {
    PROMPT, // after C PM or C <name>
    USERS_THEN_PROMPT, // after C DM
    SENT, // after D <text>
    USERS, // after C LIST
    HISTORY, // after C CH, followed by its data lines
    JOIN_HISTORY, // the recent messages after C READY
    RESUME_HISTORY, // after C CH SINCE
    SEQ, // after C SEQ
    JOINED, // after C JOIN: typed lines wait for it, as it changes the current room
    PARTED, // after C PART: likewise
    ROOMS, // after C ROOMS
    TOPIC, // after C TOPIC
    PONG, // after C PING
    BYE, // after C EX
    ERROR_ONLY, // C NICK or C PASS after sign-in: only an error can come back
    NOTE; // nothing from the server: shown as soon as it is first in line

    static Reply to(ClientLine line) {
      if (line instanceof ClientLine.PublicMessage || line instanceof ClientLine.Recipient) {
        return PROMPT;
      } else if (line instanceof ClientLine.DirectMessage) {
        return USERS_THEN_PROMPT;
      } else if (line instanceof ClientLine.Text) {
        return SENT;
      } else if (line instanceof ClientLine.ListUsers) {
        return USERS;
      } else if (line instanceof ClientLine.ChatHistory
          || line instanceof ClientLine.ChatHistorySince) {
        return HISTORY;
      } else if (line instanceof ClientLine.Seq) {
        return SEQ;
      } else if (line instanceof ClientLine.Join) {
        return JOINED;
      } else if (line instanceof ClientLine.Part) {
        return PARTED;
      } else if (line instanceof ClientLine.Rooms) {
        return ROOMS;
      } else if (line instanceof ClientLine.Topic) {
        return TOPIC;
      } else if (line instanceof ClientLine.Ping) {
        return PONG;
      } else if (line instanceof ClientLine.Exit) {
        return BYE;
      } else if (line instanceof ClientLine.Pong) {
        return null; // no answer to an answer
      }
      return ERROR_ONLY;
    }

    /** The answer may change the current room, which decides where the next typed line goes. */
    boolean changesRoom() {
      return this == JOINED || this == PARTED;
    }

    boolean isHistory() {
      return this == HISTORY || this == JOIN_HISTORY || this == RESUME_HISTORY;
    }
  }

  /**
   * One reply owed.
   *
   * @param group the typed line it belongs to (0 for the session's own requests): once one line of
   *     a group is refused, the server refuses the rest as out of place, which says nothing new
   * @param quiet the person did not type this protocol line: prompts and lists for it are not shown
   * @param detail the note to show, or the text of a message being sent
   */
  record Owed(Reply reply, int group, boolean quiet, String detail) {}

  private final ArrayDeque<Owed> owed = new ArrayDeque<>();

  void add(Owed o) {
    owed.add(o);
  }

  /** The oldest reply owed; null when none is. */
  Owed peek() {
    return owed.peek();
  }

  Owed poll() {
    return owed.poll();
  }

  boolean isEmpty() {
    return owed.isEmpty();
  }

  /** True when a reply that may change the current room is still owed. */
  boolean roomChangeOwed() {
    for (Owed o : owed) {
      if (o.reply().changesRoom()) {
        return true;
      }
    }
    return false;
  }

  void removeIf(Predicate<Owed> filter) {
    owed.removeIf(filter);
  }
}
