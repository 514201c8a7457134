package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerLine;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisplayTest {
  /** "Now" is on the day of the test messages, so their times show without a date. */
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private final Display display = new Display(Clock.fixed(NOW, ZoneId.of("UTC")), false);

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
    Display paris = new Display(Clock.fixed(NOW, ZoneId.of("Europe/Paris")), false);
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

  @ParameterizedTest(name = "{0}  shows  {1}")
  @CsvSource(
      delimiterString = " => ",
      textBlock =
          """
          # Own confirmations: the seq and the recipients
          C SENT PM 12 3                     => [sent #12 to 3 users]
          C SENT PM 12 1                     => [sent #12 to 1 user]
          C SENT PM 12 0                     => [sent #12 to 0 users]
          C SENT DM 13 bob                   => [sent DM #13 to bob]
          # Joins and leaves
          C JOIN bob                         => * bob joined
          C LEAVE bob                        => * bob left
          C LEAVE bob ping timeout           => * bob left (ping timeout)
          # Errors: the code and the reason
          C ERR 404 bob is not online        => ! error 404: bob is not online
          C ERR 412                          => ! error 412: line not expected in this state
          # A retry for a name explains and asks for another
          C RETRY 409 name already in use    => ! name not accepted (409 name already in use) - choose another name
          C RETRY 422 invalid name           => ! name not accepted (422 invalid name) - choose another name
          C RETRY 401 wrong password         => ! sign-in refused (401 wrong password)
          # The users list counts and names everyone
          C USERS 3 alice bob carol          => Online (3): alice bob carol
          C USERS 0                          => Online (0):
          # The history header counts messages
          C HISTORY 5                        => --- last 5 messages ---
          C HISTORY 1                        => --- last 1 message ---
          C HISTORY 0                        => --- no messages ---
          # Prompts say what to type next
          C PROMPT TEXT                      => Type your message as: D <text>
          C PROMPT RECIPIENT                 => Type the recipient as: C <name>
          # Bye names the reason
          C BYE idle                         => * server closed the connection: idle
          C BYE                              => * server closed the connection
          # A ping shows nothing, a pong its token
          C PING 42                          => <nothing>
          C PONG 42                          => * pong 42
          C PONG                             => * pong
          # A resume point asked for by hand
          C SEQ e1 42                        => * history e1, last seq 42
          # Rooms (protocol section 12)
          C JOINED #rust e1 0 3              => * you are in #rust (3 users here)
          C PARTED #rust                     => * you left #rust
          C ROOMS 2 #go #rust                => Rooms (2): #go #rust
          C ROOMS 0                          => * no rooms besides #main - /join #name opens one
          C JOIN #rust alice                 => * alice joined #rust
          C PART #rust alice                 => * alice left #rust
          C TOPIC #rust alice borrow checks  => * topic of #rust: borrow checks (set by alice)
          C TOPIC #rust                      => * #rust has no topic
          C USERS #rust 2 alice bob          => In #rust (2): alice bob
          C HISTORY #rust 2                  => --- last 2 messages in #rust ---
          C SENT PM #rust 7 2                => [sent #rust #7 to 2 users]
          C SEQ #rust e1 7                   => * history of #rust e1, last seq 7
          """)
  void controlLinesAreShownToBobAs(String wire, String shown) throws Exception {
    assertEquals(shown, show(wire));
  }

  @ParameterizedTest(name = "{0}  shows  {1}")
  @CsvSource(
      delimiterString = " => ",
      textBlock =
          """
          C HELLO parley/1 welcome to parley => * welcome to parley
          C HELLO parley/1                   => <nothing>
          C READY bob 3                      => Signed in as bob (3 users online)
          C READY bob 1                      => Signed in as bob (1 user online)
          C PASSWORD NEW                     => * new account: choose a password
          C PASSWORD EXISTING                => * this name has an account: enter its password
          """)
  void signInLinesAreShownBeforeANameIsKnownAs(String wire, String shown) throws Exception {
    assertEquals(shown, show(wire, null));
  }

  @Test
  void aRoomMessageIsTaggedWithItsRoomWhenAsked() throws Exception {
    ServerLine.Delivery d =
        (ServerLine.Delivery) ServerLine.parse("D PM #rust 3 2026-11-21T10:15:30.123Z alice hi");
    assertEquals("[10:15:30] #rust alice: hi", display.message(d.message(), "bob", "#rust"));
    assertEquals("[10:15:30] alice: hi", display.message(d.message(), "bob", null));
  }

  @Test
  void theRoomTagHasAColourOfItsOwn() throws Exception {
    Display coloured = new Display(Clock.fixed(NOW, ZoneId.of("UTC")), true);
    ServerLine.Delivery d =
        (ServerLine.Delivery) ServerLine.parse("D PM #rust 3 2026-11-21T10:15:30.123Z alice hi");
    String shown = coloured.message(d.message(), "bob", "#rust");
    assertTrue(shown.contains("\u001b[1;36m#rust\u001b[0m"), shown);
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
  void bidiOverridesAndIsolatesAreShownAsEscapes() throws Exception {
    // U+202E would show "gnp.exe" as "exe.png"; each of the nine becomes visible.
    assertEquals(
        "[10:15:30] mallory: see \\u202egnp.exe",
        show("D PM 1 2026-11-21T10:15:30.000Z mallory see \u202egnp.exe"));
    assertEquals(
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069",
        Display.neutralise("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"));
    // The direction marks are bidi controls too (shown as the classroom console shows them); their
    // neighbours outside Unicode's Bidi_Control set are left as they are.
    assertEquals("\\u200e\\u200f\u2029\u206a", Display.neutralise("\u200e\u200f\u2029\u206a"));
  }

  // ---- dates and colours

  @Test
  void aMessageFromAnotherDayShowsItsDate() throws Exception {
    assertEquals(
        "[2026-11-20 23:59:59] alice: yesterday",
        show("D PM 1 2026-11-20T23:59:59.000Z alice yesterday"));
    assertEquals(
        LocalDate.parse("2026-11-20"), display.dateOf(parseMessage("2026-11-20T23:59:59")));
    assertEquals(
        "--- Friday 20 November 2026 ---", display.dayMarker(LocalDate.parse("2026-11-20")));
  }

  private static dev.parley.protocol.ChatMessage parseMessage(String time) throws Exception {
    return ((ServerLine.Delivery) ServerLine.parse("D PM 1 " + time + ".000Z a b")).message();
  }

  @Test
  void coloursSetNamesOwnMessagesDirectMessagesErrorsAndStatusApart() throws Exception {
    Display colours = new Display(Clock.fixed(NOW, ZoneId.of("UTC")), true);
    String alice = shownBy(colours, "D PM 1 2026-11-21T10:15:30.000Z alice hi");
    String aliceAgain = shownBy(colours, "D PM 2 2026-11-21T10:15:31.000Z ALICE yo");
    String mine = shownBy(colours, "D PM 3 2026-11-21T10:15:30.000Z bob me");
    String dm = shownBy(colours, "D DM 4 2026-11-21T10:15:30.000Z alice bob psst");
    assertEquals(
        "\u001b[2m[10:15:30]\u001b[0m \u001b[" + nameColour(alice) + "malice\u001b[0m: hi", alice);
    assertEquals(nameColour(alice), nameColour(aliceAgain)); // a name keeps its colour, any case
    assertEquals(true, mine.endsWith(": \u001b[1mme\u001b[0m"), mine); // own text bold
    assertEquals(true, dm.contains("\u001b[1;35m(DM)\u001b[0m"), dm);
    assertEquals(
        "\u001b[31m! error 404: x is not online\u001b[0m",
        shownBy(colours, "C ERR 404 x is not online"));
    assertEquals("\u001b[2m* carol joined\u001b[0m", shownBy(colours, "C JOIN carol"));
    // Colour codes wrap neutralised text: a name's own escape is still made visible.
    String sneaky = colours.render(new ServerLine.Join("x\u001b[31m"), "bob").orElseThrow();
    assertEquals("\u001b[2m* x\\x1b[31m joined\u001b[0m", sneaky);
  }

  private static String shownBy(Display display, String wire) throws ProtocolException {
    return display.render(ServerLine.parse(wire), "bob").orElseThrow();
  }

  /** The SGR code of the first name in a coloured message line. */
  private static String nameColour(String line) {
    int start = line.indexOf(" \u001b[", line.indexOf(']') + 1) + 3;
    return line.substring(start, line.indexOf('m', start));
  }

  @Test
  void neutraliseReturnsCleanTextUnchanged() {
    String clean = "nothing to see";
    assertEquals(clean, Display.neutralise(clean));
  }
}
