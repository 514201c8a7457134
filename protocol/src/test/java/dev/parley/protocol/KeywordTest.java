package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command words of parley/1 and their case-insensitive lookup. */
class KeywordTest {
  private static final Set<Keyword> CLIENT_COMMANDS =
      EnumSet.of(
          Keyword.JOIN,
          Keyword.PART,
          Keyword.ROOMS,
          Keyword.TOPIC,
          Keyword.SEQ,
          Keyword.NICK,
          Keyword.PASS,
          Keyword.PM,
          Keyword.DM,
          Keyword.LIST,
          Keyword.CH,
          Keyword.PING,
          Keyword.PONG,
          Keyword.EX);

  @ParameterizedTest
  @EnumSource(Keyword.class)
  void lookupFindsEveryKeywordInAnyCase(Keyword keyword) {
    String name = keyword.name();
    assertSame(keyword, Keyword.lookup(name));
    assertSame(keyword, Keyword.lookup(name.toLowerCase(Locale.ROOT)));
    assertSame(
        keyword, Keyword.lookup(name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "P",
        "PMX",
        "LISTS",
        " PM",
        "PM ",
        "alice",
        "ERROR",
        "QUIT",
        "l\u0131st",
        "pa\u017f\u017f"
      })
  void lookupOfAnythingElseIsNull(String word) {
    assertNull(Keyword.lookup(word));
  }

  @Test
  void theClientCommandsAreExactlyTheFourteen() {
    Set<Keyword> commands =
        Arrays.stream(Keyword.values())
            .filter(Keyword::isClientCommand)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Keyword.class)));
    assertEquals(CLIENT_COMMANDS, commands);
  }

  @ParameterizedTest
  @EnumSource(Keyword.class)
  void exactlyTheClientCommandsAreRefusedAsNamesInAnyCase(Keyword keyword) {
    for (String name : new String[] {keyword.name(), keyword.name().toLowerCase(Locale.ROOT)}) {
      assertEquals(
          CLIENT_COMMANDS.contains(keyword) ? name + " is a protocol keyword" : null,
          Names.problem(name));
    }
  }
}
