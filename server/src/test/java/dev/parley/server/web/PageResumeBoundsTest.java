package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.messageTexts;
import static dev.parley.server.web.PageUnderTest.notices;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page does not take a server's history answers on trust: against a scripted server in the page
 * (it stands in for the browser's WebSocket, so any answer can be given) whose every {@code C CH
 * SINCE} answer is a full page, the page stops after 10 pages, or at once when a full page does not
 * move forward, and says so in the console client's words.
 */
class PageResumeBoundsTest {
  /**
   * A server in the page: signs in, drops the first connection so that the page resumes, and
   * answers each {@code C CH SINCE <seq> <n>} with n messages, after {@code seq} when arguments[0]
   * is "moving", else always the same ones. window.asked keeps the requests.
   */
  private static final String SCRIPTED_SERVER =
      """
      const moving = arguments[0] === 'moving';
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
        // Later, never inside send: a real socket's answers come after the line is sent.
        reply(lines) {
          setTimeout(() => { for (const line of lines) this.onmessage({ data: line }); });
        }
        send(line) {
          const words = line.split(' ');
          if (words[1] === 'NICK') {
            this.reply(['C READY ' + words[2] + ' 2', 'C HISTORY 1', pm(5)]);
          } else if (line === 'C SEQ') {
            this.reply(['C SEQ scripted 1000000']);
            if (this.first) setTimeout(() => this.close()); // cut: the next sign-in resumes
          } else if (line === 'C LIST') {
            this.reply(['C USERS 2 bob ' + words[2]]);
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
    ChromeDriver ann = page.openPage(null);
    ann.executeScript(SCRIPTED_SERVER, server);
    PageUnderTest.signIn(ann, "ann");
    waitFor(
        ann,
        RESUME_WAIT,
        d -> notices(d, "error").contains(stopped),
        d -> "errors " + notices(d, "error") + " after " + asked(ann));
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
}
