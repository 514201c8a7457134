package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whatever a byte stream can carry, from one client, while two others keep chatting: NUL bytes,
 * lone CRs, a 10 MB line without LF, 100,000 tiny lines in one write, terminal escape sequences in
 * names (refused) and in text (stored and delivered as text, byte for byte). The rate allowance is
 * off, so that every one of the flood's lines is answered within the test.
 */
class BadInputEndToEndTest {
  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(() -> ServerUnderTest.defaults().toBuilder().maxRate(0).build())
          .overTls(overTls());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  private LineClient alice;
  private LineClient bob;
  private long seq; // the last seq confirmed

  @BeforeEach
  void signInAliceAndBob() throws Exception {
    alice = server.signIn("alice");
    bob = server.signInSeenBy("bob", alice);
  }

  /** One message from alice to bob, exactly as it should go. */
  private void aliceAndBobStillChat() {
    alice.send("C PM", "D chat " + (seq + 1));
    seq++;
    alice.expect("C PROMPT TEXT");
    String sent = alice.expectStartsWith("C SENT PM " + seq + " ");
    Delivered d = Delivered.pm(bob.nextMatching(line -> line.startsWith("D ")));
    assertEquals(seq, d.seq(), "bob got " + d + " after " + sent);
    assertEquals("chat " + seq, d.text());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void nulBytesAreAnsweredLineByLine() throws Exception {
    LineClient eve = server.connect("eve");
    eve.expectStartsWith("C HELLO ");
    eve.sendRaw(bytes("\0\0\0\n"));
    eve.expectStartsWith("C ERR 400 ");
    eve.sendRaw(bytes("C PING a\0b\n"));
    eve.expect("C PONG a\0b");
    eve.sendRaw(bytes("C NICK a\0b\n"));
    eve.expectStartsWith("C RETRY 422 ");
    aliceAndBobStillChat();

    eve.nick("eve");
    alice.expect("C JOIN eve");
    bob.expect("C JOIN eve");
    eve.sendRaw(bytes("C PM\nD nul\0inside\n"));
    eve.expect("C PROMPT TEXT");
    eve.expectStartsWith("C SENT PM ");
    seq++;
    assertEquals("nul\0inside", Delivered.pm(bob.next()).text());
    assertEquals("nul\0inside", Delivered.pm(alice.next()).text());
    aliceAndBobStillChat();
  }

  @Test
  void loneCarriageReturnsAreText() throws Exception {
    LineClient eve = server.connect("eve");
    eve.expectStartsWith("C HELLO ");
    eve.sendRaw(bytes("C PING a\rb\n"));
    eve.expect("C PONG a\rb");
    eve.sendRaw(bytes("C PING x\r\r\n")); // only the one CR right before the LF is dropped
    eve.expect("C PONG x\r");
    eve.sendRaw(bytes("\r\r\r\n"));
    eve.expectStartsWith("C ERR 400 ");
    eve.sendRaw(bytes("C PING split\r"));
    aliceAndBobStillChat();
    eve.sendRaw(bytes("\n"));
    eve.expect("C PONG split");
    eve.sendRaw(bytes("C NICK car\riage\n"));
    eve.expectStartsWith("C RETRY 422 ");
    aliceAndBobStillChat();
  }

  @Test
  void aTenMegabyteLineWithoutLfIsRefusedAtOnceAndNeverBuffered() throws Exception {
    LineClient eve = server.signInSeenBy("eve", alice, bob);
    byte[] chunk = new byte[1024 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    chunk[0] = 'D';
    chunk[1] = ' ';
    CompletableFuture<Void> flood =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 10; i++) {
                eve.sendRaw(chunk);
                chunk[0] = 'x';
                chunk[1] = 'x';
              }
            });
    for (int i = 0; i < 5; i++) {
      aliceAndBobStillChat();
    }
    flood.get(30, TimeUnit.SECONDS);
    // Refused as soon as the limit was passed, before any LF: nothing waited for the line's end.
    // (Eve is online, so the chat's messages reach her too.)
    assertEquals("C ERR 413 line too long", eve.nextMatching(l -> !l.startsWith("D PM ")));
    eve.sendRaw(bytes("\nC PING after\n"));
    // One 413 for the whole line, and the next line works.
    assertEquals("C PONG after", eve.nextMatching(l -> !l.startsWith("D PM ")));
    aliceAndBobStillChat();
    assertEquals(seq, Delivered.pm(eve.next()).seq());
    eve.expectNothingElse();
  }

  @Test
  void aHundredThousandTinyLinesInOneWriteAreAllAnsweredInOrder() throws Exception {
    LineClient eve = server.signInSeenBy("eve", alice, bob);
    int count = 100_000;
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      flood.writeBytes(bytes("C PING " + i + "\n"));
    }
    byte[] oneWrite = flood.toByteArray();
    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> eve.sendRaw(oneWrite));
    for (int i = 0; i < 5; i++) {
      aliceAndBobStillChat();
    }
    for (int i = 0; i < count; i++) {
      String line = eve.nextMatching(l -> !l.startsWith("D PM "));
      if (!line.equals("C PONG " + i)) {
        assertEquals("C PONG " + i, line, "answer " + i);
      }
    }
    sending.get(30, TimeUnit.SECONDS);
    aliceAndBobStillChat();
    assertEquals(3, server.server().usersOnline());
  }

  @Test
  void controlCharactersAndEscapeSequencesInNamesAreRefused() throws Exception {
    LineClient eve = server.connect("eve");
    eve.expectStartsWith("C HELLO ");
    List<String> names =
        List.of(
            "\u001b[31mred", // CSI: a colour
            "\u001b]0;title\u0007", // OSC: the terminal's title
            "bell\u0007",
            "tab\there",
            "del\u007f",
            "\u009b31mcsi", // the one-character C1 CSI
            "rtl\u202eoverride",
            "nbsp\u00a0name");
    for (String name : names) {
      eve.send("C NICK " + name);
      String answer = eve.next();
      assertTrue(answer.startsWith("C RETRY 422 "), "'" + name + "' got " + answer);
    }
    aliceAndBobStillChat();
    eve.nick("eve"); // still able to sign in properly
    alice.expect("C JOIN eve");
    bob.send("C LIST");
    bob.expect("C JOIN eve", "C USERS 3 alice bob eve");
  }

  @Test
  void escapeSequencesInTextAreStoredAndDeliveredByteForByte() throws Exception {
    LineClient eve = server.signInSeenBy("eve", alice, bob);
    String text =
        "\u001b[2J\u001b[H\u001b[31mred\u001b[0m \u001b]0;owned\u0007 \u009b1m bell\u0007"
            + " back\bspace \u202eevil \u0000nul del\u007f";
    eve.send("C PM", "D " + text);
    eve.expect("C PROMPT TEXT");
    eve.expectStartsWith("C SENT PM ");
    seq++;
    for (LineClient c : List.of(alice, bob)) {
      assertEquals(text, Delivered.pm(c.next()).text(), c.label());
    }
    eve.send("C DM", "C bob", "D " + text);
    eve.expect("C USERS 3 alice bob eve", "C PROMPT RECIPIENT", "C PROMPT TEXT");
    eve.expectStartsWith("C SENT DM ");
    seq++;
    assertEquals(text, Delivered.dm(bob.next()).text());
    bob.send("C CH 2");
    bob.expect("C HISTORY 2");
    assertEquals(text, Delivered.pm(bob.next()).text());
    assertEquals(text, Delivered.dm(bob.next()).text());
    aliceAndBobStillChat();
  }
}
