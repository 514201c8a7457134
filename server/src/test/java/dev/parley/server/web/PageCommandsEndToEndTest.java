package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.say;
import static dev.parley.server.web.PageUnderTest.status;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.Delivered;
import dev.parley.server.LineClient;
import dev.parley.server.web.PageUnderTest.Screen;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page's {@code /commands}, as the console client has them: what each does on the page and what
 * the server receives. Console users watch the room: a command never arrives as a message, a DM
 * never makes the next line a DM, and {@code //} sends a text that starts with {@code /}.
 */
class PageCommandsEndToEndTest {
  @RegisterExtension final PageUnderTest page = new PageUnderTest();

  private LineClient carl;
  private LineClient ben;

  @BeforeEach
  void watchers() throws Exception {
    carl = page.console("carl");
    ben = page.console("ben");
  }

  /** The newest of the page's own lines (help, answers, errors), without its time. */
  private static String lastNotice(WebDriver driver) {
    List<WebElement> notices = driver.findElements(By.cssSelector("#log li:not([data-seq])"));
    if (notices.isEmpty()) {
      return "";
    }
    WebElement last = notices.get(notices.size() - 1);
    String time = last.findElement(By.tagName("time")).getText();
    return last.getText().substring(time.length()).strip();
  }

  /** Types {@code typed} and waits for the page's answer to it (its newest notice) to match. */
  private static void answers(WebDriver driver, String typed, String pattern) {
    say(driver, typed);
    waitFor(
        driver,
        d -> lastNotice(d).matches(pattern),
        d -> "typed " + typed + ", answered " + lastNotice(d));
  }

  private static String box(WebDriver driver) {
    return driver.findElement(By.id("text")).getDomProperty("value");
  }

  /** The next message line {@code watcher} receives (skipping joins, leaves and replies). */
  private static String nextMessage(LineClient watcher) {
    return watcher.nextStartingWith("D ");
  }

  @Test
  void commandsAreDoneOnThePageAndNeverSentAsText() throws Exception {
    ChromeDriver ann = page.browser("ann", Screen.PHONE);

    answers(ann, "/help", "(?s).*/msg <name> <text>: a direct message.*");
    answers(ann, "/list", "online \\(3\\): ann, ben, carl");
    answers(ann, "/me waves", "not sent: unknown command /me - /help lists the commands");
    answers(ann, "/msg ben", "not sent: usage: /msg <name> <text>");
    PageUnderTest.saveScreenshot(ann, "commands");
    ann.findElement(By.id("text")).clear(); // a refused line stays in the box, to be corrected
    say(ann, "//x");

    // Ordered delivery: the first message anyone sees from ann is "/x", so nothing before it went.
    assertEquals("/x", Delivered.pm(nextMessage(carl)).text());
    assertEquals("/x", Delivered.pm(nextMessage(ben)).text());
    assertEquals("", box(ann));
  }

  @Test
  void afterADirectMessageTheNextLineGoesToEveryone() throws Exception {
    ChromeDriver ann = page.browser("ann");

    say(ann, "/msg ben hi");
    Delivered dm = Delivered.dm(nextMessage(ben));
    assertEquals(List.of("ann", "ben", "hi"), List.of(dm.from(), dm.to(), dm.text()));
    waitFor(ann, d -> box(d).isEmpty(), d -> "after the DM the box holds '" + box(d) + "'");

    say(ann, "back to everyone");
    assertEquals("back to everyone", Delivered.pm(nextMessage(carl)).text());
    assertEquals("back to everyone", Delivered.pm(nextMessage(ben)).text());

    answers(ann, "/history 5", "history: 2 messages, .*");
    say(ann, "/quit");
    for (LineClient watcher : List.of(carl, ben)) {
      String next = watcher.nextMatching(l -> l.startsWith("D ") || l.startsWith("C LEAVE "));
      assertTrue(
          next.startsWith("C LEAVE ann"), "neither /history nor /quit is a message: " + next);
    }
    waitFor(ann, d -> status(d).equals("left the chat"));
    waitFor(ann, d -> d.findElement(By.id("signin")).isDisplayed());
  }
}
