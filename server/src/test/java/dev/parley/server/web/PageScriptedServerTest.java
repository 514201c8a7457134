package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.messageTexts;
import static dev.parley.server.web.PageUnderTest.notices;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page against a scripted server in the page (it stands in for the browser's WebSocket, so any
 * answer can be given). It does not take the server's history answers on trust: when every {@code C
 * CH SINCE} answer is a full page it stops after 10 pages, or at once when a full page does not
 * move forward, and says so in the console client's words. Any refused request, a message's or not,
 * cancels only itself.
 */
class PageScriptedServerTest {
  /**
   * A server in the page: signs in, drops the first connection (so that the page resumes) unless
   * arguments[0] is "refusing", and answers each {@code C CH SINCE <seq> <n>} with n messages,
   * after {@code seq} when arguments[0] is "moving", else always the same ones. "refusing" refuses
   * {@code C SEQ} (a server without resume) and {@code C LIST}, and takes every message; its
   * answers to a {@code /list} wait until a message has come. {@code window.asked} keeps the
   * history requests.
   */
  private static final String SCRIPTED_SERVER =
      """
      const moving = arguments[0] === 'moving';
      const refusing = arguments[0] === 'refusing';
      window.asked = [];
      let connections = 0;
      const pm = seq => `D PM ${seq} 2026-01-01T00:00:00.000Z bob message ${seq}`;
      class ScriptedServer {
        static OPEN = 1;
        constructor() {
          this.first = ++connections === 1;
          this.readyState = 0;
          setTimeout(() => { this.readyState = 1; this.reply(['C HELLO parley/1 scripted']); });
        }
        // Later, never inside send: a real socket's answers come after the line is sent. While
        // held they wait for the next message, as behind a slow network.
        reply(lines) {
          if (this.held) this.held.push(...lines);
          else setTimeout(() => { for (const line of lines) this.onmessage({ data: line }); });
        }
        send(line) {
          const words = line.split(' ');
          if (words[1] === 'NICK') {
            this.reply(['C READY ' + words[2] + ' 2', 'C HISTORY 1', pm(5)]);
          } else if (line === 'C SEQ') {
            this.reply([refusing ? 'C ERR 400 unknown command SEQ' : 'C SEQ scripted 1000000']);
            if (this.first && !refusing) setTimeout(() => this.close()); // the next one resumes
          } else if (line === 'C LIST') {
            if (refusing && this.listed) this.held = []; // a /list: held until the message is in
            this.listed = true;
            this.reply([refusing ? 'C ERR 429 too many requests' : 'C USERS 2 bob ann']);
          } else if (line === 'C PM') {
            this.reply(['C PROMPT TEXT']);
          } else if (words[0] === 'D') {
            this.reply(['C SENT PM 7 1']);
            const held = this.held;
            this.held = null;
            if (held) this.reply(held);
          } else if (words[1] === 'CH' && words[2] === 'SINCE') {
            window.asked.push(line);
            const from = moving ? Number(words[3]) : 5;
            const n = Number(words[4]);
            const page = ['C HISTORY ' + n];
            for (let seq = from + 1; seq <= from + n; seq++) page.push(pm(seq));
            this.reply(page);
          }
        }
        close() {
          this.readyState = 3;
          setTimeout(() => this.onclose());
        }
      }
      window.WebSocket = ScriptedServer;
      """;

  private static final Duration RESUME_WAIT = Duration.ofSeconds(60);

  @RegisterExtension final PageUnderTest page = new PageUnderTest();

  /** Opens the page against the scripted server, signs in and waits for the resume to end. */
  private ChromeDriver resumeFrom(String server, String stopped) throws Exception {
    ChromeDriver ann = signedIn(server);
    waitFor(
        ann,
        RESUME_WAIT,
        d -> notices(d, "error").contains(stopped),
        d -> "errors " + notices(d, "error") + " after " + asked(ann));
    return ann;
  }

  /** The page, signed in to the scripted server {@code server}. */
  private ChromeDriver signedIn(String server) throws Exception {
    ChromeDriver ann = page.openPage(null);
    ann.executeScript(SCRIPTED_SERVER, server);
    PageUnderTest.signIn(ann, "ann");
    return ann;
  }

  @SuppressWarnings("unchecked")
  private static List<String> asked(ChromeDriver driver) {
    return (List<String>) driver.executeScript("return window.asked;");
  }

  @Test
  void aServerThatAlwaysHasAnotherPageIsAskedTenTimes() throws Exception {
    ChromeDriver ann =
        resumeFrom(
            "moving",
            "10000 missed messages shown; any later ones missed while away are skipped"
                + " (/history shows the latest)");

    List<String> asked = asked(ann);
    assertEquals(10, asked.size(), "asked: " + asked);
    assertEquals("C CH SINCE 5 1000", asked.get(0));
    assertEquals("C CH SINCE 9005 1000", asked.get(9));
    List<String> shown = messageTexts(ann);
    assertEquals(1 + 10_000, shown.size());
    assertEquals("message 10005", shown.get(shown.size() - 1));
  }

  @Test
  void aFullPageThatDoesNotMoveForwardEndsTheResume() throws Exception {
    ChromeDriver ann =
        resumeFrom(
            "the same page",
            "the server's history answer was not moving forward; stopped asking for missed"
                + " messages");

    assertEquals(List.of("C CH SINCE 5 1000", "C CH SINCE 1005 1000"), asked(ann));
    assertEquals(1 + 1000, messageTexts(ann).size());
  }

  @Test
  void aRefusedListLeavesTheMessageSentAfterItAlone() throws Exception {
    ChromeDriver ann = signedIn("refusing");
    String refused = "error 429 too many requests";
    // The page's own C LIST at sign-in is refused first (its refused C SEQ says nothing).
    waitFor(ann, d -> notices(d, "error").contains(refused), d -> "errors " + notices(d, "error"));

    // The list's refusal comes once the message is out, so it arrives while the message is owed.
    ann.findElement(By.id("text")).sendKeys("/list\nhello\n");
    waitFor(
        ann,
        d -> messageTexts(ann).equals(List.of("message 5", "hello")),
        d -> "shown " + messageTexts(ann));
    assertEquals(1, ann.findElements(By.cssSelector("#log .own")).size());
    assertEquals(List.of(refused, refused), notices(ann, "error"));
  }
}
