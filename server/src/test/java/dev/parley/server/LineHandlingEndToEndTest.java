package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Framing and malformed input over real sockets: errors answer a line, the connection lives on. */
class LineHandlingEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started().overTls(overTls());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  private LineClient alice;

  @BeforeEach
  void signInAlice() throws Exception {
    alice = server.signIn("alice");
  }

  @Test
  void aDataLineWithNothingPendingGets412() {
    alice.send("D x");
    alice.expectStartsWith("C ERR 412 ");
    alice.expectNothingElse();
  }

  @Test
  void anUnknownKeywordGets400() {
    alice.send("C FOO bar");
    alice.expectStartsWith("C ERR 400 ");
    alice.send("C FOO");
    alice.expectStartsWith("C ERR 400 ");
    alice.send("C HELLO parley/1"); // a server keyword is no client command
    alice.expectStartsWith("C ERR 400 ");
    alice.expectNothingElse();
  }

  @Test
  void aLineStartingWithNeitherCNorDGets400() {
    for (String line : List.of("hello", "", "C", "D", "c PING x", "d text", "X PING", " C PING")) {
      alice.send(line);
      String answer = alice.next();
      assertTrue(answer.startsWith("C ERR 400 "), "'" + line + "' got " + answer);
    }
    alice.expectNothingElse();
  }

  @Test
  void keywordsAreCaseInsensitive() {
    alice.send("C ping x", "C List", "C pm", "D lower case");
    alice.expect("C PONG x", "C USERS 1 alice", "C PROMPT TEXT", "C SENT PM 1 0");
  }

  @Test
  void aLineOfFiveThousandBytesGets413AndTheConnectionKeepsWorking() {
    alice.send("C PING " + "x".repeat(5000 - 7));
    alice.expectStartsWith("C ERR 413 ");
    alice.send("C PING after");
    alice.expect("C PONG after");
  }

  @Test
  void aLineOfExactlyTheLimitIsAcceptedAndOneByteMoreGets413() {
    String token = "t".repeat(4096 - "C PING ".length());
    alice.send("C PING " + token);
    alice.expect("C PONG " + token);
    alice.send("C PING " + token + "u");
    alice.expectStartsWith("C ERR 413 ");
    alice.expectNothingElse();
  }

  @Test
  void theCrBeforeLfCountsTowardsTheLimit() {
    String token = "t".repeat(4095 - "C PING ".length());
    alice.sendRaw(("C PING " + token + "\r\n").getBytes(StandardCharsets.UTF_8));
    alice.expect("C PONG " + token);
    alice.sendRaw(("C PING " + token + "u\r\n").getBytes(StandardCharsets.UTF_8));
    alice.expectStartsWith("C ERR 413 ");
    alice.expectNothingElse();
  }

  @Test
  void aTooLongLineSplitAcrossWritesGetsOne413AndTheNextLineIsHandled() {
    alice.sendRaw(("C PING " + "a".repeat(3000)).getBytes(StandardCharsets.UTF_8));
    alice.sendRaw(("b".repeat(3000)).getBytes(StandardCharsets.UTF_8));
    alice.sendRaw(("c".repeat(3000) + "\nC PING next\n").getBytes(StandardCharsets.UTF_8));
    alice.expectStartsWith("C ERR 413 ");
    alice.expect("C PONG next");
  }

  @Test
  void aTooLongDataLineCancelsThePendingMessage() throws Exception {
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C PM", "D " + "x".repeat(5000), "D after");
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C ERR 413 ");
    alice.expectStartsWith("C ERR 412 ");
    bob.expectNothingElse();
  }

  @Test
  void invalidUtf8Gets400AndTheConnectionKeepsWorking() {
    byte[][] invalid = {
      {'C', ' ', 'P', 'I', 'N', 'G', ' ', (byte) 0xff},
      {'D', ' ', (byte) 0xc3}, // a two-byte sequence cut short
      {'C', ' ', 'P', 'I', 'N', 'G', ' ', (byte) 0xc0, (byte) 0xaf}, // overlong '/'
      {'D', ' ', (byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a UTF-16 surrogate
    };
    for (byte[] line : invalid) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes(line);
      bytes.write('\n');
      alice.sendRaw(bytes.toByteArray());
      alice.expectStartsWith("C ERR 400 ");
    }
    alice.send("C PING caf\u00e9-\u2603");
    alice.expect("C PONG caf\u00e9-\u2603");
  }

  @Test
  void anErrorDuringAPendingMessageCancelsIt() {
    alice.send("C PM", "C LIST", "D orphan");
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C ERR 412 ");
    alice.expectStartsWith("C ERR 412 ");
    alice.send("C DM", "C PM");
    alice.expect("C USERS 1 alice", "C PROMPT RECIPIENT");
    alice.expectStartsWith("C ERR 412 ");
    alice.send("C CH");
    alice.expect("C HISTORY 0");
  }

  @Test
  void aRecipientOutsideADirectMessageIsAnError() {
    alice.send("C alice");
    String answer = alice.next();
    assertTrue(answer.startsWith("C ERR 400 ") || answer.startsWith("C ERR 412 "), answer);
    alice.expectNothingElse();
  }
}
