package dev.parley.server;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The details settled in contract section 8 (400 or 412, trailing spaces) and the DM recipient
 * fixed at the {@code C <name>} step (section 4), over real sockets.
 */
class ContractDetailsEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started();

  @Test
  void aWordThatIsNoKeywordBeforeSignInIs400WhateverTheNumberOfWords() throws Exception {
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    for (String line : List.of("C foo", "C foo bar", "C READY")) {
      c.send(line);
      c.expectStartsWith("C ERR 400 ");
    }
    c.send("C LIST"); // a keyword that does not fit the state
    c.expectStartsWith("C ERR 412 ");
    c.send("C NICK alice");
    c.expect("C READY alice 1", "C HISTORY 0");
  }

  @Test
  void aWordThatIsNoKeywordAtTheTextStepIs400AndDropsThePendingMessage() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C PM", "C foo", "D not a message");
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C ERR 400 ");
    alice.expectStartsWith("C ERR 412 "); // the PM was dropped: the data line has no place
    alice.send("C DM", "C bob", "C foo", "D not a DM either");
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT", "C PROMPT TEXT");
    alice.expectStartsWith("C ERR 400 ");
    alice.expectStartsWith("C ERR 412 ");
    alice.send("C PM", "C LIST"); // a keyword at the text step is 412
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C ERR 412 ");
    alice.send("C PING end");
    alice.expect("C PONG end");
    bob.expectNothingElse();
  }

  @Test
  void trailingSpacesAfterACommandsLastWordAreIgnored() throws Exception {
    LineClient alice = server.connect("alice");
    alice.expectStartsWith("C HELLO ");
    alice.send("C NICK alice ");
    alice.expect("C READY alice 1", "C HISTORY 0");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C DM ", "C bob ", "D hi ");
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT", "C PROMPT TEXT", "C SENT DM 1 bob");
    bob.nextStartingWith("D DM 1 ");
    alice.send("C CH 5 ", "C LIST ");
    alice.expect("C HISTORY 1");
    alice.nextStartingWith("D DM 1 ");
    alice.expect("C USERS 2 alice bob");
    alice.send("C EX now");
    alice.expectStartsWith("C ERR 400 ");
    alice.send("C EX ");
    alice.expect("C BYE goodbye");
  }

  @Test
  void aDmGoesToTheUserChosenAtTheRecipientStepNotToWhoeverTookTheNameSince() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C DM", "C bob");
    alice.expect("C USERS 2 alice bob", "C PROMPT RECIPIENT", "C PROMPT TEXT");

    bob.send("C EX");
    bob.expectStartsWith("C BYE ");
    alice.expect("C LEAVE bob");
    LineClient newcomer = server.signInSeenBy("bob", alice);

    alice.send("D meant for the first bob");
    alice.expect("C ERR 404 bob is not online");
    alice.send("C PING after");
    alice.expect("C PONG after");
    newcomer.send("C PING sync");
    newcomer.expect("C PONG sync"); // nothing arrived before it
  }
}
