package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.protocol.Frame;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerLine;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DisplayTest {
  private final Display display = new Display(ZoneId.of("UTC"));

  /** The console text for a wire line as the server sends it, shown to {@code me}. */
  private String show(String wire, String me) throws ProtocolException {
    return display.render(ServerLine.parse(wire), me).orElse("<nothing>");
  }

  private String show(String wire) throws ProtocolException {
    return show(wire, "bob");
  }

  @Test
  void publicMessageShowsLocalTimeSenderAndText() throws Exception {
    assertEquals("[10:15:30] alice: hello", show("D PM 12 2026-11-21T10:15:30.123Z alice hello"));
  }

  @Test
  void messageTimeIsShownInTheGivenZone() throws Exception {
    Display paris = new Display(ZoneId.of("Europe/Paris"));
    ServerLine line = ServerLine.parse("D PM 12 2026-11-21T10:15:30.123Z alice hello");
    assertEquals(Optional.of("[11:15:30] alice: hello"), paris.render(line, "bob"));
  }

  @Test
  void directMessageToMeSaysYou() throws Exception {
    assertEquals(
        "[10:15:30] (DM) alice -> you: hi", show("D DM 13 2026-11-21T10:15:30.000Z alice bob hi"));
  }

  @Test
  void directMessageFromMeSaysYouComparingNamesWithoutCase() throws Exception {
    assertEquals(
        "[10:15:30] (DM) you -> carol: hey",
        show("D DM 14 2026-11-21T10:15:30.000Z Bob carol hey", "bob"));
  }

  @Test
  void directMessageBeforeSignInShowsBothNames() throws Exception {
    assertEquals(
        "[10:15:30] (DM) alice -> bob: hi",
        show("D DM 13 2026-11-21T10:15:30.000Z alice bob hi", null));
  }

  @Test
  void messageTextKeepsItsSpacesAndTabs() throws Exception {
    assertEquals(
        "[10:15:30] alice:  two  spaces\tand a tab",
        show("D PM 1 2026-11-21T10:15:30.000Z alice  two  spaces\tand a tab"));
  }

  @Test
  void ownConfirmationsShowSeqAndRecipients() throws Exception {
    assertEquals("[sent #12 to 3 users]", show("C SENT PM 12 3"));
    assertEquals("[sent #12 to 1 user]", show("C SENT PM 12 1"));
    assertEquals("[sent #12 to 0 users]", show("C SENT PM 12 0"));
    assertEquals("[sent DM #13 to bob]", show("C SENT DM 13 bob"));
  }

  @Test
  void joinsAndLeaves() throws Exception {
    assertEquals("* bob joined", show("C JOIN bob"));
    assertEquals("* bob left", show("C LEAVE bob"));
    assertEquals("* bob left (ping timeout)", show("C LEAVE bob ping timeout"));
  }

  @Test
  void errorsShowCodeAndReason() throws Exception {
    assertEquals("! error 404: bob is not online", show("C ERR 404 bob is not online"));
    assertEquals("! error 412: line not expected in this state", show("C ERR 412"));
  }

  @Test
  void retryForANameExplainsAndAsksForAnother() throws Exception {
    assertEquals(
        "! name not accepted (409 name already in use) - choose another name",
        show("C RETRY 409 name already in use"));
    assertEquals(
        "! name not accepted (422 invalid name) - choose another name",
        show("C RETRY 422 invalid name"));
    assertEquals("! sign-in refused (401 wrong password)", show("C RETRY 401 wrong password"));
  }

  @Test
  void usersListCountsAndNamesEveryone() throws Exception {
    assertEquals("Online (3): alice bob carol", show("C USERS 3 alice bob carol"));
    assertEquals("Online (0):", show("C USERS 0"));
  }

  @Test
  void historyHeaderCountsMessages() throws Exception {
    assertEquals("--- last 5 messages ---", show("C HISTORY 5"));
    assertEquals("--- last 1 message ---", show("C HISTORY 1"));
    assertEquals("--- no messages ---", show("C HISTORY 0"));
  }

  @Test
  void promptsSayWhatToTypeNext() throws Exception {
    assertEquals("Type your message as: D <text>", show("C PROMPT TEXT"));
    assertEquals("Type the recipient as: C <name>", show("C PROMPT RECIPIENT"));
  }

  @Test
  void signInLines() throws Exception {
    assertEquals("* welcome to parley", show("C HELLO parley/1 welcome to parley", null));
    assertEquals("<nothing>", show("C HELLO parley/1", null));
    assertEquals("Signed in as bob (3 users online)", show("C READY bob 3", null));
    assertEquals("Signed in as bob (1 user online)", show("C READY bob 1", null));
    assertEquals("* new account: choose a password", show("C PASSWORD NEW", null));
    assertEquals(
        "* this name has an account: enter its password", show("C PASSWORD EXISTING", null));
  }

  @Test
  void byeNamesTheReason() throws Exception {
    assertEquals("* server closed the connection: idle", show("C BYE idle"));
    assertEquals("* server closed the connection", show("C BYE"));
  }

  @Test
  void pingShowsNothingAndPongShowsItsToken() throws Exception {
    assertEquals("<nothing>", show("C PING 42"));
    assertEquals("* pong 42", show("C PONG 42"));
    assertEquals("* pong", show("C PONG"));
  }

  @Test
  void unknownServerLinesAreShownRaw() throws Exception {
    assertEquals("C SHINY new feature", show("C SHINY new feature"));
    assertEquals("Z what", display.render(new ServerLine.Unknown("Z what"), "bob").orElseThrow());
  }

  @Test
  void undecodableLinesAreReportedAsSkipped() {
    assertEquals(
        "! skipped a line from the server: line too long", display.render(Frame.Fault.TOO_LONG));
    assertEquals(
        "! skipped a line from the server: line is not valid UTF-8",
        display.render(Frame.Fault.INVALID_UTF8));
  }

  // ---- terminal control characters from other people

  @Test
  void escapeSequenceInMessageTextCannotClearTheScreen() throws Exception {
    assertEquals(
        "[10:15:30] mallory: \\x1b[2J\\x1b[Hgotcha",
        show("D PM 1 2026-11-21T10:15:30.000Z mallory \u001b[2J\u001b[Hgotcha"));
  }

  @Test
  void bellDelAndC1ControlsAreShownAsEscapes() throws Exception {
    assertEquals(
        "[10:15:30] mallory: ding\\x07 rub\\x7f csi\\x9b2J nel\\x85 end",
        show(
            "D PM 1 2026-11-21T10:15:30.000Z mallory ding\u0007 rub\u007f csi\u009b2J nel\u0085 end"));
  }

  @Test
  void controlCharactersInNamesAreNeutralised() {
    // A name the protocol would refuse, in case a server lets one through.
    ServerLine join = new ServerLine.Join("eve\u0007\u001b]0;pwned\u0007");
    assertEquals("* eve\\x07\\x1b]0;pwned\\x07 joined", display.render(join, "bob").orElseThrow());
  }

  @Test
  void unknownLinesAreNeutralisedToo() {
    assertEquals(
        "X \\x1b[31mred\\x00\\x0d",
        display.render(new ServerLine.Unknown("X \u001b[31mred\u0000\r"), "bob").orElseThrow());
  }

  @Test
  void neutraliseKeepsTabsAndOrdinaryUnicode() {
    assertEquals("a\tb é ✓ 日本", Display.neutralise("a\tb é ✓ 日本"));
    assertEquals(
        "\\x00\\x1f\\x7f\\x80\\x9f\u00a0",
        Display.neutralise("\u0000\u001f\u007f\u0080\u009f\u00a0"));
  }

  @Test
  void neutraliseReturnsCleanTextUnchanged() {
    String clean = "nothing to see";
    assertEquals(clean, Display.neutralise(clean));
  }
}
