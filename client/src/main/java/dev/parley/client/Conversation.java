package dev.parley.client;

import dev.parley.client.OwedReplies.Owed;
import dev.parley.client.OwedReplies.Reply;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.RoomNames;
import dev.parley.protocol.ServerLine;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The signed-in conversation: sends what the person types (through the {@link InputTranslator}),
 * keeps the replies owed for every line sent in order (the server answers strictly in order), and
 * decides for each server line what it answers and whether it is shown: confirmations become one's
 * own messages, errors are shown once per refused command, the session's own requests stay quiet,
 * and the answers a {@link Resume} waits for go to it. Loop thread only.
 */
final class Conversation implements Resume.Requests {
  /** What the conversation tells the session. Loop thread only. */
  interface Session {
    /** A {@code C EX} went out: the session is leaving. */
    void leaving();

    /** A resume is over: the lines typed while away may go out. */
    void resumed();

    /** The current room changed (the prompt shows it). */
    default void roomChanged() {}
  }

  private record Held(String line, Runnable handled) {}

  private final Outbox outbox;
  private final Transcript transcript;
  private final Timeline<ChatMessage> timeline;
  private final Roster roster;
  private final Clock clock;
  private final boolean interactive;
  private final Session session;
  private final Resume resume;
  private final OwedReplies owed = new OwedReplies(); // replies to lines sent, in order
  private final JoinedRooms rooms;
  // Lines typed while a C JOIN or C PART is owed: where they go depends on its answer.
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private int nextGroup = 1;
  private int refusedGroup; // the group whose first refusal was shown
  private int refusedLines; // typed lines refused, locally or by the server
  private int historyLinesOwed; // data lines still to come after a C HISTORY
  private Reply historyKind; // which history those lines answer; null for none owed
  private boolean byeShown; // an unasked-for C BYE was shown: the close says nothing more

  Conversation(
      Outbox outbox,
      Transcript transcript,
      Roster roster,
      Clock clock,
      boolean interactive,
      Session session) {
    this.outbox = outbox;
    this.transcript = transcript;
    this.roster = roster;
    this.clock = clock;
    this.interactive = interactive;
    this.session = session;
    this.rooms = transcript.rooms();
    this.timeline = new Timeline<>(m -> m.text().length());
    this.resume = new Resume(timeline, transcript, this);
  }

  Resume resume() {
    return resume;
  }

  /** No reply is owed: an ending session may leave. */
  boolean settled() {
    return owed.isEmpty() && held.isEmpty();
  }

  /** Typed lines refused, locally or by the server. */
  int refusedLines() {
    return refusedLines;
  }

  /** An unasked-for {@code C BYE} was shown on this connection. */
  boolean byeShown() {
    return byeShown;
  }

  /** A new connection is open. */
  void connected() {
    byeShown = false;
  }

  /** Signed in: the recent public messages are owed, and asked for again on each sign-in. */
  void signedIn() {
    owed.add(new Owed(Reply.JOIN_HISTORY, 0, true, null));
  }

  /** The session leaves: {@code C EX}, its {@code C BYE} owed. */
  void sendExit() {
    owed.add(new Owed(Reply.BYE, 0, false, null));
    outbox.send(new ClientLine.Exit());
  }

  /** A request of the session's own: its answer is not shown. */
  void sendQuietly(ClientLine line) {
    owed.add(new Owed(Reply.to(line), 0, true, null));
    outbox.send(line);
  }

  @Override
  public void askSince(long seq, int count) {
    owed.add(new Owed(Reply.RESUME_HISTORY, 0, true, null));
    outbox.send(new ClientLine.ChatHistorySince(seq, count));
  }

  @Override
  public void resumed() {
    session.resumed();
  }

  /** What was owed on the lost connection will never come; the explanations still to show stay. */
  void connectionLost() {
    owed.removeIf(o -> o.reply() != Reply.NOTE);
    showNotes();
    historyLinesOwed = 0;
    historyKind = null;
    rooms.forget(); // membership belongs to the connection (protocol section 12)
    session.roomChanged();
    // A resume cut short stays held: what it brought is shown after the next one fills the gap.
  }

  /** A line the person typed; {@code handled} runs once it is written, or at once if not sent. */
  void typed(String typed, Runnable handled) {
    if (owed.roomChangeOwed() || !held.isEmpty()) {
      held.add(new Held(typed, handled));
      return;
    }
    translateAndSend(typed, handled);
  }

  private void translateAndSend(String typed, Runnable handled) {
    InputTranslator.Translation translation = InputTranslator.translate(typed, rooms);
    if (translation instanceof InputTranslator.Switch sw) {
      rooms.switchTo(sw.room());
      session.roomChanged();
      owed.add(new Owed(Reply.NOTE, 0, true, transcript.statusText("* now in " + sw.room())));
      showNotes();
      handled.run();
      return;
    }
    if (translation instanceof InputTranslator.Send send) {
      int group = nextGroup++;
      List<ClientLine> lines = send.lines();
      for (int i = 0; i < lines.size(); i++) {
        ClientLine line = lines.get(i);
        Reply reply = Reply.to(line);
        if (reply != null) {
          String text = line instanceof ClientLine.Text t ? t.text() : null;
          owed.add(new Owed(reply, group, send.byCommand(), text));
        }
        boolean last = i == lines.size() - 1;
        outbox.send(line, last ? handled : null);
        if (line instanceof ClientLine.Exit) {
          session.leaving();
        }
      }
      return;
    }
    if (translation instanceof InputTranslator.Explain explain) {
      if (explain.refused()) {
        refusedLines++;
      }
      String text =
          explain.refused()
              ? transcript.errorText(explain.text())
              : transcript.statusText(explain.text());
      owed.add(new Owed(Reply.NOTE, 0, true, text));
      showNotes();
    }
    handled.run();
  }

  /**
   * A line from the server while signed in.
   *
   * @return false for a {@code C BYE} nobody asked for (the close follows); true otherwise
   */
  boolean onLine(ServerLine line) {
    Owed head = owed.peek();
    if (line instanceof ServerLine.Delivery delivery) {
      onDelivery(delivery.message(), head);
    } else if (line instanceof ServerLine.History history) {
      onHistory(history, head);
    } else if (line instanceof ServerLine.SentPublic || line instanceof ServerLine.SentDirect) {
      onSent(line, head);
    } else if (line instanceof ServerLine.Error error) {
      onError(error, head);
    } else if (line instanceof ServerLine.Prompt) {
      boolean answers =
          head != null && (head.reply() == Reply.PROMPT || head.reply() == Reply.USERS_THEN_PROMPT);
      if (answers) {
        owed.poll();
      }
      if (interactive && !(answers && head.quiet())) {
        transcript.show(line);
      }
    } else if (line instanceof ServerLine.Users users) {
      onUsers(users, head);
    } else if (line instanceof ServerLine.Joined joined) {
      onJoined(joined, head);
    } else if (line instanceof ServerLine.Parted parted
        && head != null
        && head.reply() == Reply.PARTED) {
      owed.poll();
      rooms.parted(parted.room());
      session.roomChanged();
      transcript.show(line);
    } else if (line instanceof ServerLine.Seq seq && head != null && head.reply() == Reply.SEQ) {
      owed.poll();
      if (head.group() == 0) {
        resume.onSeq(seq.epoch(), seq.lastSeq());
      } else {
        transcript.show(line); // typed by hand
      }
    } else {
      if (line instanceof ServerLine.Join join && join.room() == null) {
        roster.joined(join.name());
      } else if (line instanceof ServerLine.Leave leave) {
        roster.left(leave.name());
      }
      boolean answers =
          head != null
              && ((line instanceof ServerLine.Pong && head.reply() == Reply.PONG)
                  || (line instanceof ServerLine.Rooms && head.reply() == Reply.ROOMS)
                  || (line instanceof ServerLine.Topic && head.reply() == Reply.TOPIC)
                  || (line instanceof ServerLine.Bye && head.reply() == Reply.BYE));
      if (answers) {
        owed.poll();
      }
      if (line instanceof ServerLine.Bye && !answers) {
        // Not the answer to our C EX: a restart, a drop for silence or slowness. The close follows.
        byeShown = true;
        transcript.show(line);
        return false;
      }
      if (!(answers && head.quiet() && line instanceof ServerLine.Pong)) {
        transcript.show(line);
      }
    }
    showNotes();
    releaseHeld();
    return true;
  }

  private void onJoined(ServerLine.Joined joined, Owed head) {
    if (head == null || head.reply() != Reply.JOINED) {
      // Unasked: the room's history started again (protocol section 12).
      transcript.status("* the history of " + Display.neutralise(joined.room()) + " started again");
      return;
    }
    owed.poll();
    rooms.joined(joined.room());
    session.roomChanged();
    transcript.show(joined);
  }

  /** Types the lines held for a room change once it has been answered, in order. */
  private void releaseHeld() {
    Held next;
    while (!owed.roomChangeOwed() && (next = held.poll()) != null) {
      translateAndSend(next.line(), next.handled());
    }
  }

  private void onUsers(ServerLine.Users users, Owed head) {
    if (users.room() == null || RoomNames.isMain(users.room())) {
      roster.replace(users.names()); // a room's members are not who is online
    }
    boolean forHead =
        head != null && (head.reply() == Reply.USERS || head.reply() == Reply.USERS_THEN_PROMPT);
    if (head != null && head.reply() == Reply.USERS) {
      owed.poll();
    }
    // A list the person asked for is shown; the one before a /msg's recipient step and the
    // session's own (for completion) are not.
    boolean quiet =
        forHead && ((head.reply() == Reply.USERS_THEN_PROMPT && head.quiet()) || head.group() == 0);
    if (!quiet) {
      transcript.show(users);
    }
  }

  private void onDelivery(ChatMessage message, Owed head) {
    if (historyLinesOwed == 0 && message.room() != null) {
      transcript.message(message); // a room's seq is its own: the timeline orders #main's
      return;
    }
    if (historyLinesOwed == 0) {
      transcript.messages(timeline.add(message.seq(), message)); // live
      return;
    }
    historyLinesOwed--;
    if (historyKind == Reply.HISTORY) {
      transcript.message(message); // asked for: shown as asked, whatever was shown before
    } else if (historyKind == Reply.RESUME_HISTORY) {
      resume.pageMessage(message);
    } else {
      transcript.messages(timeline.add(message.seq(), message));
    }
    if (historyLinesOwed == 0) {
      historyAnswered(head);
    }
  }

  private void onHistory(ServerLine.History history, Owed head) {
    historyKind = head != null && head.reply().isHistory() ? head.reply() : Reply.HISTORY;
    historyLinesOwed = history.count();
    if (historyKind == Reply.RESUME_HISTORY) {
      resume.pageStarted();
    }
    if (historyKind == Reply.HISTORY || (historyKind == Reply.JOIN_HISTORY && !resume.resuming())) {
      transcript.show(history);
    }
    if (historyLinesOwed == 0) {
      historyAnswered(head);
    }
  }

  /** The data lines of a history answer are all in. */
  private void historyAnswered(Owed head) {
    Reply kind = historyKind;
    historyKind = null;
    if (head == null || head.reply() != kind) {
      return; // a history nobody here asked for (a protocol line typed by hand, answered late)
    }
    owed.poll();
    if (kind == Reply.RESUME_HISTORY) {
      resume.pageAnswered();
    }
  }

  private void onSent(ServerLine line, Owed head) {
    if (head == null || head.reply() != Reply.SENT) {
      transcript.show(line); // a confirmation nobody here is waiting for: say what it says
      return;
    }
    owed.poll();
    long millis = clock.millis();
    String me = transcript.me();
    if (line instanceof ServerLine.SentPublic sent && sent.room() != null) {
      transcript.message(
          ChatMessage.roomMessage(sent.room(), sent.seq(), millis, me, head.detail()));
      return;
    }
    ChatMessage mine =
        line instanceof ServerLine.SentDirect dm
            ? ChatMessage.directMessage(dm.seq(), millis, me, dm.to(), head.detail())
            : ChatMessage.publicMessage(
                ((ServerLine.SentPublic) line).seq(), millis, me, head.detail());
    transcript.messages(timeline.add(mine.seq(), mine));
  }

  private void onError(ServerLine.Error error, Owed head) {
    if (head == null) {
      transcript.show(error);
      return;
    }
    owed.poll();
    if (head.reply() == Reply.SEQ) {
      resume.onSeqRefused();
      return;
    }
    if (head.reply() == Reply.RESUME_HISTORY) {
      transcript.show(error);
      resume.pageRefused();
      return;
    }
    if (head.group() != 0 && head.group() == refusedGroup) {
      return; // the rest of a refused command, refused as out of place
    }
    refusedGroup = head.group();
    if (head.group() != 0) {
      refusedLines++;
    }
    transcript.show(error);
  }

  /** Shows the explanations whose turn has come. */
  private void showNotes() {
    while (!owed.isEmpty() && owed.peek().reply() == Reply.NOTE) {
      transcript.raw(owed.poll().detail());
    }
  }
}
