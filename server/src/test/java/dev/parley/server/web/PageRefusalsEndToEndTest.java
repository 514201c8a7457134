package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.notices;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.Delivered;
import dev.parley.server.LineClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A line the server refuses cancels only what it belongs to: the page matches each answer, error or
 * not, to the line it answers (the server answers in order). The server's rate allowance is tight
 * here, so its answers to one typed line come after the page has sent the next, as on a slow
 * network or a busy server.
 */
class PageRefusalsEndToEndTest {
  @RegisterExtension
  final PageUnderTest page = new PageUnderTest(c -> c.toBuilder().maxRate(1).rateBurst(2).build());

  /** The page's own messages confirmed by the server, in the order shown. */
  private static List<String> ownMessages(WebDriver driver) {
    return driver.findElements(By.cssSelector("#log .own .text")).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void aDirectMessageToSomeoneNotOnlineIsRefusedOnceAndTheNextMessageIsStillSent()
      throws Exception {
    LineClient carl = page.console("carl");
    ChromeDriver ann = page.browser("ann");

    // Typed at once: both lines are out before the server, slowed by the rate, refuses the DM
    // (C ERR 404 at its recipient, then C ERR 412 for its text, which has no DM left to go in).
    ann.findElement(By.id("text")).sendKeys("/msg nobody hi\nhello all\n");

    assertEquals("hello all", Delivered.pm(carl.nextStartingWith("D ")).text());
    waitFor(ann, d -> ownMessages(d).equals(List.of("hello all")), d -> "own: " + ownMessages(d));
    assertEquals(List.of("error 404 nobody is not online"), notices(ann, "error"));
  }
}
