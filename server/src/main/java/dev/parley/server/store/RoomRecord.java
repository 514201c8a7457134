package dev.parley.server.store;

/**
 * What lasts of a room other than {@code #main} (protocol section 12) besides its messages.
 *
 * @param name the room as first spelled, by the JOIN that created it
 * @param epoch the name of the room's history, new whenever that history starts again
 * @param lastSeq the newest seq stored in the room, 0 when none is
 * @param topicSetter who set the topic, null when the room has none
 * @param topicText the topic, null when the room has none
 */
public record RoomRecord(
    String name, String epoch, long lastSeq, String topicSetter, String topicText) {
  public RoomRecord {
    if ((topicSetter == null) != (topicText == null)) {
      throw new IllegalArgumentException("a topic has both a setter and a text, or neither");
    }
  }
}
