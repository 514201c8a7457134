package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTest {
  private final RecordingScreen screen = new RecordingScreen();
  private final Transcript transcript = screen.transcript();
  private final List<ClientLine> sent = new ArrayList<>();
  private final List<String> told = new ArrayList<>();
  private final Conversation conversation =
      new Conversation(
          (line, onWritten) -> sent.add(line),
          transcript,
          new Roster(),
          ClientRun.CLOCK,
          false,
          new Conversation.Session() {
            @Override
            public void leaving() {
              told.add("leaving");
            }

            @Override
            public void resumed() {
              told.add("resumed");
            }
          });

  private final ServerLine prompt = new ServerLine.Prompt(ServerLine.PromptKind.TEXT);

  private static ServerLine delivery(long seq) {
    return new ServerLine.Delivery(
        ChatMessage.publicMessage(seq, ClientRun.CLOCK.millis(), "ann", "m" + seq));
  }

  @Test
  void aTypedMessageIsShownUnderMyNameOnceConfirmedAndNothingIsOwedAfter() {
    transcript.signedIn("bob");
    conversation.typed("hello", () -> told.add("handled"));
    assertEquals(List.of(new ClientLine.PublicMessage(), new ClientLine.Text("hello")), sent);
    assertFalse(conversation.settled());
    conversation.onLine(prompt);
    assertTrue(screen.shown.isEmpty(), "a script sees no prompts: " + screen.shown);
    conversation.onLine(new ServerLine.SentPublic(7, 1));
    assertEquals(1, screen.shown.size());
    assertTrue(screen.shown.get(0).endsWith("bob: hello"), screen.shown.toString());
    assertTrue(conversation.settled());
  }

  @Test
  void aRefusedCommandIsOneErrorThoughEachOfItsLinesIsRefused() {
    conversation.typed("/msg carol hi", () -> {});
    assertEquals(3, sent.size());
    conversation.onLine(new ServerLine.Error(ErrorCode.NOT_ONLINE, "no such user online"));
    conversation.onLine(new ServerLine.Error(ErrorCode.NOT_EXPECTED, "not expected"));
    conversation.onLine(new ServerLine.Error(ErrorCode.NOT_EXPECTED, "not expected"));
    assertEquals(1, screen.shown.size(), screen.shown.toString());
    assertEquals(1, conversation.refusedLines());
    assertTrue(conversation.settled());
  }

  @Test
  void aFullResumePageAsksAgainAndAShortOneEndsTheResume() {
    conversation.resume().signedIn();
    conversation.sendQuietly(new ClientLine.Seq());
    conversation.onLine(new ServerLine.Seq("e1", 0));
    conversation.resume().reconnected();
    conversation.resume().signedIn();
    conversation.sendQuietly(new ClientLine.Seq());
    conversation.onLine(new ServerLine.Seq("e1", 500));
    assertEquals(new ClientLine.ChatHistorySince(0, Resume.PAGE), sent.get(sent.size() - 1));
    conversation.onLine(new ServerLine.History(Resume.PAGE));
    for (long seq = 1; seq <= Resume.PAGE; seq++) {
      conversation.onLine(delivery(seq));
    }
    assertEquals(
        new ClientLine.ChatHistorySince(Resume.PAGE, Resume.PAGE), sent.get(sent.size() - 1));
    assertTrue(told.isEmpty());
    conversation.onLine(new ServerLine.History(0));
    assertEquals(List.of("resumed"), told);
    assertEquals(Resume.MISSED_MARKER, screen.shown.get(0));
    assertEquals(1 + Resume.PAGE, screen.shown.size());
    assertTrue(conversation.settled());
  }

  @Test
  void aByeNobodyAskedForIsShownAndSaysTheCloseFollows() {
    assertFalse(conversation.onLine(new ServerLine.Bye("restarting")));
    assertTrue(conversation.byeShown());
    conversation.connected();
    assertFalse(conversation.byeShown());
  }

  @Test
  void theExitTypedSaysTheSessionIsLeaving() {
    conversation.typed("/quit", () -> {});
    assertEquals(List.of(new ClientLine.Exit()), sent);
    assertEquals(List.of("leaving"), told);
  }
}
