package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rooms (protocol section 12) over real sockets: every line of the section, its codes and limits,
 * and that a client which never joins sees what it saw before rooms. {@link
 * RoomsOverTlsEndToEndTest} and {@link RoomsOverWebSocketEndToEndTest} run the same tests on the
 * other transports.
 */
class RoomsEndToEndTest {
  private static final Pattern JOINED =
      Pattern.compile("C JOINED (#\\S+) ([A-Za-z0-9_-]{1,64}) (\\d+) (\\d+)");
  private static final String TIME = Delivered.TIME;

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedByEachTest().overTls(overTls()).overWebSocket(overWebSocket());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  /** True in the subclass that runs these tests over WebSocket on the web port. */
  boolean overWebSocket() {
    return false;
  }

  private void start() throws Exception {
    server.start(ServerUnderTest.defaults().toBuilder().maxRate(0).build());
  }

  /** Sends {@code C JOIN room} and checks the answer; returns the room's epoch. */
  private static String join(LineClient c, String room, String shown, long lastSeq, int members) {
    c.send("C JOIN " + room);
    String line = c.next();
    Matcher m = JOINED.matcher(line);
    assertTrue(m.matches(), line);
    assertEquals(shown, m.group(1), line);
    assertEquals(lastSeq, Long.parseLong(m.group(3)), line);
    assertEquals(members, Integer.parseInt(m.group(4)), line);
    return m.group(2);
  }

  /** {@code first}, then {@code second}, join a new {@code room}; first reads second's notice. */
  private static void bothIn(String room, LineClient first, LineClient second) {
    join(first, room, room, 0, 1);
    join(second, room, room, 0, 2);
    first.expect("C JOIN " + room + " " + second.label());
  }

  private static void assertDelivered(
      String line, String room, long seq, String from, String text) {
    String prefix = room == null ? "D PM " : "D PM " + room + " ";
    assertTrue(
        line.matches(
            Pattern.quote(prefix + seq + " ") + TIME + Pattern.quote(" " + from + " " + text)),
        line);
  }

  @Test
  void joinAnswersTheRoomAndTellsTheOtherMembersOnce() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    String epoch = join(alice, "#Rust", "#Rust", 0, 1);
    // The spelling of the JOIN that made the room is the one shown, whatever case others type.
    assertEquals(epoch, join(bob, "#rUST", "#Rust", 0, 2));
    alice.expect("C JOIN #Rust bob");
    // Joining again answers the same and tells nobody.
    assertEquals(epoch, join(bob, "#rust", "#Rust", 0, 2));
    alice.expectNothingElse();

    bob.send("C PART #RUST");
    bob.expect("C PARTED #Rust");
    alice.expect("C PART #Rust bob");
    // Parting a room one is not in answers PARTED and tells nobody.
    bob.send("C PART #rust", "C PART #nowhere");
    bob.expect("C PARTED #rust", "C PARTED #nowhere");
    alice.expectNothingElse();
  }

  @Test
  void aRoomMessageReachesItsMembersOnlyWithItsOwnSeq() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    LineClient carol = server.signInSeenBy("carol", alice, bob);
    bothIn("#lab", alice, bob);

    alice.send("C PM #lab", "D hello  lab", "C PM #LAB", "D again");
    alice.expect("C PROMPT TEXT", "C SENT PM #lab 1 1", "C PROMPT TEXT", "C SENT PM #lab 2 1");
    assertDelivered(bob.next(), "#lab", 1, "alice", "hello  lab");
    assertDelivered(bob.next(), "#lab", 2, "alice", "again");

    // #main counts on its own, and keeps its old form for everyone.
    bob.send("C PM", "D in main");
    bob.expect("C PROMPT TEXT", "C SENT PM 1 2");
    assertDelivered(alice.next(), null, 1, "bob", "in main");
    assertDelivered(carol.next(), null, 1, "bob", "in main");
    carol.expectNothingElse(); // never the room's messages or notices
  }

  @Test
  void historySeqAndListOfARoom() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    String epoch = join(alice, "#lab", "#lab", 0, 1);
    alice.send("C PM #lab", "D one", "C PM #lab", "D two", "C PM #lab", "D three");
    alice.expect(
        "C PROMPT TEXT",
        "C SENT PM #lab 1 0",
        "C PROMPT TEXT",
        "C SENT PM #lab 2 0",
        "C PROMPT TEXT",
        "C SENT PM #lab 3 0");

    alice.send("C SEQ #LAB");
    alice.expect("C SEQ #lab " + epoch + " 3");
    alice.send("C CH #lab 2");
    alice.expect("C HISTORY #lab 2");
    assertDelivered(alice.next(), "#lab", 2, "alice", "two");
    assertDelivered(alice.next(), "#lab", 3, "alice", "three");
    alice.send("C CH #lab SINCE 1 1");
    alice.expect("C HISTORY #lab 1");
    assertDelivered(alice.next(), "#lab", 2, "alice", "two");
    alice.send("C CH #lab");
    alice.expect("C HISTORY #lab 3");
    for (int i = 0; i < 3; i++) {
      alice.next();
    }

    // The newcomer gets no history on JOIN, but the room's identity to resume by.
    assertEquals(epoch, join(bob, "#lab", "#lab", 3, 2));
    alice.expect("C JOIN #lab bob");
    // LIST of a room is open to everyone; a room nobody is in has nobody.
    LineClient carol = server.signInSeenBy("carol", alice, bob);
    carol.send("C LIST #Lab", "C LIST #empty");
    carol.expect("C USERS #lab 2 alice bob", "C USERS #empty 0");
  }

  @Test
  void topicIsAskedSetAndToldToEveryMember() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    bothIn("#lab", alice, bob);

    alice.send("C TOPIC #lab");
    alice.expect("C TOPIC #lab");
    alice.send("C TOPIC #lab lab 3:  sockets ");
    alice.expect("C TOPIC #lab alice lab 3:  sockets");
    bob.expect("C TOPIC #lab alice lab 3:  sockets");
    bob.send("C TOPIC #LAB");
    bob.expect("C TOPIC #lab alice lab 3:  sockets");

    String longest = "\u00e9".repeat(300);
    bob.send("C TOPIC #lab " + longest);
    bob.expect("C TOPIC #lab bob " + longest);
    alice.expect("C TOPIC #lab bob " + longest);
    bob.send("C TOPIC #lab " + longest + "x");
    assertTrue(bob.next().startsWith("C ERR 400 "));

    // Pipelined: the topic keeps its place among the messages, and is read back as set.
    alice.send(
        "C PM #lab", "D before", "C TOPIC #lab quiz", "C TOPIC #lab", "C PM #lab", "D after");
    alice.expect(
        "C PROMPT TEXT",
        "C SENT PM #lab 1 1",
        "C TOPIC #lab alice quiz",
        "C TOPIC #lab alice quiz",
        "C PROMPT TEXT",
        "C SENT PM #lab 2 1");
    assertDelivered(bob.next(), "#lab", 1, "alice", "before");
    bob.expect("C TOPIC #lab alice quiz");
    assertDelivered(bob.next(), "#lab", 2, "alice", "after");
  }

  @Test
  void roomsListsTheRoomsInUseOtherThanMainSortedByLowerCaseName() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C ROOMS");
    alice.expect("C ROOMS 0");
    join(alice, "#b", "#b", 0, 1);
    join(bob, "#C", "#C", 0, 1);
    join(bob, "#a", "#a", 0, 1);
    alice.send("C ROOMS");
    alice.expect("C ROOMS 3 #a #b #C");
    bob.send("C PART #a");
    bob.expect("C PARTED #a");
    bob.send("C ROOMS");
    bob.expect("C ROOMS 2 #b #C");
  }

  @Test
  void mainNamedIsTheSameAsNoRoomWordAndItsAnswersCarryMain() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C PM #main", "D named");
    alice.expect("C PROMPT TEXT", "C SENT PM #main 1 1");
    assertDelivered(bob.next(), null, 1, "alice", "named"); // others see the old form
    bob.send("C SEQ");
    String seq = bob.expectStartsWith("C SEQ ");
    String epoch = seq.split(" ")[2];
    bob.send("C SEQ #Main");
    bob.expect("C SEQ #main " + epoch + " 1");
    bob.send("C LIST #main");
    bob.expect("C USERS #main 2 alice bob");
    bob.send("C CH #main 5");
    bob.expect("C HISTORY #main 1");
    assertDelivered(bob.next(), "#main", 1, "alice", "named");
    bob.send("C CH #main SINCE 0");
    bob.expect("C HISTORY #main 1");
    assertDelivered(bob.next(), "#main", 1, "alice", "named");
    assertEquals(epoch, join(bob, "#main", "#main", 1, 2));
    bob.send("C TOPIC #main", "C TOPIC #main hello", "C PART #main");
    bob.expect("C TOPIC #main");
    assertTrue(bob.next().startsWith("C ERR 412 "));
    assertTrue(bob.next().startsWith("C ERR 412 "));
    alice.expectNothingElse();
  }

  @Test
  void aDmInCHMainKeepsItsForm() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C DM", "C bob", "D psst");
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT", "C PROMPT TEXT", "C SENT DM 1 bob");
    String dm = bob.next();
    bob.send("C CH #main");
    bob.expect("C HISTORY #main 1", dm);
  }

  @Test
  void notInTheRoomIs403() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    join(alice, "#lab", "#lab", 0, 1);
    LineClient bob = server.signInSeenBy("bob", alice);
    for (String line :
        List.of(
            "C PM #lab",
            "C CH #lab",
            "C CH #lab SINCE 0",
            "C SEQ #lab",
            "C TOPIC #lab",
            "C TOPIC #lab x")) {
      bob.send(line);
      String answer = bob.next();
      assertTrue(answer.startsWith("C ERR 403 "), line + " -> " + answer);
    }
    // The PM was not begun: the next data line is not a message.
    bob.send("D not sent");
    assertTrue(bob.next().startsWith("C ERR 412 "));
    alice.expectNothingElse();
  }

  @Test
  void invalidOrMissingRoomWordsAre422AndWrongShapesAre400() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    for (String line :
        List.of(
            "C JOIN rust",
            "C JOIN",
            "C JOIN #",
            "C PART #a.b",
            "C PART",
            "C TOPIC",
            "C TOPIC rust",
            "C PM #a.b",
            "C LIST #",
            "C CH #caf\u00e9",
            "C SEQ #0123456789012345678901234567890ab")) {
      alice.send(line);
      String answer = alice.next();
      assertTrue(answer.startsWith("C ERR 422 "), line + " -> " + answer);
    }
    for (String line :
        List.of(
            "C PM x",
            "C LIST x",
            "C SEQ x",
            "C JOIN #a #b",
            "C PART #a b",
            "C ROOMS #a",
            "C PM #a x")) {
      alice.send(line);
      String answer = alice.next();
      assertTrue(answer.startsWith("C ERR 400 "), line + " -> " + answer);
    }
    alice.expectNothingElse();
  }

  @Test
  void roomLinesThatDoNotFitTheStateAre412() throws Exception {
    start();
    LineClient alice = server.connect("alice");
    alice.expectStartsWith("C HELLO ");
    alice.send("C JOIN #lab");
    assertTrue(alice.next().startsWith("C ERR 412 "));
    alice.nick("alice");
    alice.send("C PM", "C JOIN #lab");
    alice.expect("C PROMPT TEXT");
    assertTrue(alice.next().startsWith("C ERR 412 "));
    alice.send("D dropped"); // the PM was dropped by the bad line
    assertTrue(alice.next().startsWith("C ERR 412 "));
  }

  @Test
  void roomWordsAreReservedNames() throws Exception {
    start();
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    for (String name : List.of("join", "PART", "Rooms", "topic")) {
      c.send("C NICK " + name);
      c.expect("C RETRY 422 " + name + " is a protocol keyword");
    }
  }

  @Test
  void joiningBeyondTheRoomsPerUserIs405() throws Exception {
    server.start(ServerUnderTest.defaults().toBuilder().maxRoomsPerUser(3).maxRate(0).build());
    LineClient alice = server.signIn("alice");
    join(alice, "#a", "#a", 0, 1);
    join(alice, "#b", "#b", 0, 1);
    alice.send("C JOIN #c");
    assertTrue(alice.next().startsWith("C ERR 405 "));
    join(alice, "#A", "#a", 0, 1); // one already joined is no new room
    alice.send("C PART #a");
    alice.expect("C PARTED #a");
    join(alice, "#c", "#c", 0, 1);
  }

  @Test
  void joiningBeyondTheRoomsInUseIs405() throws Exception {
    server.start(ServerUnderTest.defaults().toBuilder().maxRooms(3).maxRate(0).build());
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    join(alice, "#a", "#a", 0, 1);
    join(alice, "#b", "#b", 0, 1);
    bob.send("C JOIN #c");
    assertTrue(bob.next().startsWith("C ERR 405 "));
    join(bob, "#a", "#a", 0, 2); // a room in use can still be joined
    alice.expect("C JOIN #a bob");
    alice.send("C PART #b");
    alice.expect("C PARTED #b");
    join(bob, "#c", "#c", 0, 1); // its place is free again
  }

  @Test
  void signingOutLeavesEveryRoomAnnouncedOnceByLeave() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    join(alice, "#a", "#a", 0, 1);
    join(alice, "#b", "#b", 0, 1);
    join(bob, "#a", "#a", 0, 2);
    alice.expect("C JOIN #a bob");
    join(bob, "#b", "#b", 0, 2);
    alice.expect("C JOIN #b bob");

    alice.send("C EX");
    alice.expectStartsWith("C BYE ");
    bob.expect("C LEAVE alice");
    bob.send("C LIST #a", "C LIST #b");
    bob.expect("C USERS #a 1 bob", "C USERS #b 1 bob");

    // Membership belongs to the connection: signed in again, alice is in #main only.
    LineClient again = server.signInSeenBy("alice", bob);
    again.send("C PM #a");
    assertTrue(again.next().startsWith("C ERR 403 "));
  }

  @Test
  void aPipelinedJoinThenMessageFindsTheRoomJoined() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    alice.send("C JOIN #p", "C PM #p", "D first", "C SEQ #p", "C ROOMS");
    String joined = alice.next();
    Matcher m = JOINED.matcher(joined);
    assertTrue(m.matches(), joined);
    alice.expect(
        "C PROMPT TEXT", "C SENT PM #p 1 0", "C SEQ #p " + m.group(2) + " 1", "C ROOMS 1 #p");
  }

  @Test
  void aClientThatNeverJoinsSeesOnlyTheLinesItSawBeforeRooms() throws Exception {
    start();
    LineClient old = server.signIn("old");
    LineClient alice = server.signInSeenBy("alice", old);
    LineClient bob = server.signInSeenBy("bob", old, alice);
    bothIn("#r", alice, bob);
    alice.send("C PM #r", "D room talk", "C TOPIC #r busy", "C PART #r", "C PM", "D main talk");
    alice.send("C EX");
    alice.nextStartingWith("C BYE ");
    assertDelivered(old.next(), null, 1, "alice", "main talk");
    old.expect("C LEAVE alice");
    bob.send("C JOIN #s", "C EX");
    bob.nextStartingWith("C BYE ");
    old.expect("C LEAVE bob");
    old.send("C CH", "C SEQ", "C LIST");
    old.expect("C HISTORY 1");
    assertDelivered(old.next(), null, 1, "alice", "main talk");
    old.expectStartsWith("C SEQ ");
    old.expect("C USERS 1 old");
    for (String line : old.received()) {
      assertFalse(line.contains("#"), line); // no room word ever reaches an old client
    }
  }

  @Test
  void withTheMemoryStoreARoomsHistoryStartsAgainWithEveryStart() throws Exception {
    start();
    LineClient alice = server.signIn("alice");
    String before = join(alice, "#lab", "#lab", 0, 1);
    alice.send("C PM #lab", "D lost at exit");
    alice.expect("C PROMPT TEXT", "C SENT PM #lab 1 0");
    server.restart();
    LineClient again = server.signIn("alice");
    String after = join(again, "#lab", "#lab", 0, 1);
    assertFalse(before.equals(after), before + " is the epoch before and after the restart");
  }
}
