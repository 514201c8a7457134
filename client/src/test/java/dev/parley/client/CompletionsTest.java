package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionsTest {
  private static final List<String> ONLINE = List.of("alice", "Albert", "bob");

  private static List<String> complete(String beforeCursor) {
    return Completions.candidates(beforeCursor, ONLINE);
  }

  @Test
  void aSlashAtTheStartCompletesCommands() {
    assertEquals(InputTranslator.SLASH_COMMANDS, complete("/"));
    assertEquals(List.of("/msg"), complete("/m"));
    assertEquals(List.of("/history", "/help"), complete("/h"));
  }

  @Test
  void theWordAfterSlashMsgIsAName() {
    assertEquals(List.of("alice", "Albert"), complete("/msg al"));
    assertEquals(List.of("bob"), complete("/dm B"));
  }

  @Test
  void afterCComeKeywordsAndNames() {
    assertEquals(
        List.of("PART", "PASS", "PING", "PM", "PONG"), complete("C P").stream().sorted().toList());
    assertEquals(List.of("alice", "Albert"), complete("C al"));
    assertEquals(List.of("LIST"), complete("C l"));
  }

  @Test
  void afterARoomCommandComeTheJoinedRooms() {
    List<String> rooms = List.of("#go", "#main", "#Rust");
    List<String> online = List.of("alice", "bob");
    assertEquals(List.of("#Rust"), Completions.candidates("/switch #r", online, rooms));
    assertEquals(List.of("#go"), Completions.candidates("/go #G", online, rooms));
    assertEquals(List.of("#Rust"), Completions.candidates("/switch  #r", online, rooms));
    assertEquals(rooms, Completions.candidates("/part ", online, rooms));
    assertEquals(List.of("#main"), Completions.candidates("/join #m", online, rooms));
    assertEquals(List.of("#Rust"), Completions.candidates("/topic #", online, List.of("#Rust")));
    // after the room word, and in plain text, names again
    assertEquals(List.of("bob"), Completions.candidates("/topic set by b", online, rooms));
    assertEquals(List.of(), Completions.candidates("hello #r", online, rooms));
  }

  @Test
  void namesCompleteAnywhereInText() {
    assertEquals(List.of("bob"), complete("thanks b"));
    assertEquals(List.of("alice", "Albert"), complete("AL"));
  }

  @Test
  void dataLinesAndCommandMarkersOfferNothingOdd() {
    assertEquals(List.of(), complete("C"));
    assertEquals(List.of(), complete("/zzz"));
    assertEquals(List.of(), complete("C LIST x"));
  }
}
