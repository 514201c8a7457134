package dev.parley.client;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Frame;
import dev.parley.protocol.RoomNames;
import dev.parley.protocol.ServerLine;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * What the person sees of the session: server lines, messages (after a day marker when the day
 * changes), status and error lines, each made into console text by the {@link Display} and shown on
 * the {@link Screen}. It knows the signed-in name, so that one's own messages look like one's own.
 * Loop thread only.
 */
final class Transcript {
  private final Screen screen;
  private final Display display;
  private final JoinedRooms rooms;
  private String me; // the signed-in name, as the server spelled it in C READY; null before
  private LocalDate lastDay; // the date of the last message shown

  Transcript(Screen screen, Display display, Clock clock) {
    this(screen, display, clock, new JoinedRooms());
  }

  /**
   * @param rooms the rooms joined: a message from another room than the current one is tagged
   */
  Transcript(Screen screen, Display display, Clock clock, JoinedRooms rooms) {
    this.screen = screen;
    this.display = display;
    this.rooms = rooms;
    this.lastDay = LocalDate.now(clock);
  }

  void signedIn(String name) {
    me = name;
  }

  /** The rooms joined and the current one. */
  JoinedRooms rooms() {
    return rooms;
  }

  /** The signed-in name; null before the first {@code C READY}. */
  String me() {
    return me;
  }

  /** A server line, as the {@link Display} describes it (some lines show nothing). */
  void show(ServerLine line) {
    display.render(line, me).ifPresent(screen::show);
  }

  void show(Frame.Fault fault) {
    screen.show(display.render(fault));
  }

  /** A status line; {@code text} must already be neutralised. */
  void status(String text) {
    screen.show(display.status(text));
  }

  /** An error line; {@code text} must already be neutralised. */
  void error(String text) {
    screen.show(display.error(text));
  }

  /** Text that is already console text (coloured and neutralised). */
  void raw(String text) {
    screen.show(text);
  }

  /** What {@link #status} would show, to show later. */
  String statusText(String text) {
    return display.status(text);
  }

  /** What {@link #error} would show, to show later. */
  String errorText(String text) {
    return display.error(text);
  }

  void messages(List<ChatMessage> messages) {
    for (ChatMessage m : messages) {
      message(m);
    }
  }

  /** One message, after a marker when it is from another day than the one before it. */
  void message(ChatMessage m) {
    LocalDate day = display.dateOf(m);
    if (!day.equals(lastDay)) {
      lastDay = day;
      screen.show(display.dayMarker(day));
    }
    String room = m.room() == null ? RoomNames.MAIN : m.room();
    boolean elsewhere = m.isPublic() && !rooms.isCurrent(room);
    screen.show(display.message(m, me, elsewhere ? room : null));
  }

  /** Why the session ends badly; neutralised here. */
  void fail(String reason) {
    screen.fail(Display.neutralise(reason));
  }

  /** A closing word about the session, shown as it is (standard error in a script). */
  void failPlain(String text) {
    screen.fail(text);
  }
}
