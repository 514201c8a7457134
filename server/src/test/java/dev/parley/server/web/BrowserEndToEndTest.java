package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.messages;
import static dev.parley.server.web.PageUnderTest.say;
import static dev.parley.server.web.PageUnderTest.shows;
import static dev.parley.server.web.PageUnderTest.status;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.Delivered;
import dev.parley.server.LineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page in headless Chromium against the real server: browser users and a console user in one
 * room, a DM, markup shown as text, and a server restart the page resumes from without duplicates.
 */
class BrowserEndToEndTest {
  @RegisterExtension final PageUnderTest page = new PageUnderTest();

  @Test
  void twoBrowserUsersAndAConsoleUserTalkAndDirectMessagesGoToOneOnly() throws Exception {
    ChromeDriver ann = page.browser("ann");
    ChromeDriver bea = page.browser("bea");
    LineClient carl = page.console("carl");
    waitFor(ann, d -> d.findElement(By.id("users")).getText().contains("carl"));

    say(ann, "hello from ann");
    assertEquals("hello from ann", Delivered.pm(carl.nextStartingWith("D PM ")).text());
    waitFor(bea, d -> shows(d, "hello from ann"));
    waitFor(
        ann, d -> d.findElement(By.cssSelector("#log .own")).getText().endsWith("hello from ann"));

    carl.send("C PM", "D hi browsers");
    waitFor(ann, d -> shows(d, "hi browsers"));
    waitFor(bea, d -> shows(d, "hi browsers"));

    say(bea, "/msg carl just for carl");
    String dm = carl.nextStartingWith("D DM ");
    assertTrue(dm.endsWith(" bea carl just for carl"), dm);
    waitFor(
        bea, d -> d.findElement(By.cssSelector("#log .dm")).getText().contains("just for carl"));

    // Clicking a name starts a DM to it.
    ann.findElement(By.cssSelector("#users button[title='Direct message to bea']")).click();
    ann.switchTo().activeElement().sendKeys("psst bea\n");
    waitFor(
        bea,
        d ->
            !d.findElements(By.cssSelector("#log .dm")).isEmpty()
                && d.findElements(By.cssSelector("#log .dm")).stream()
                    .anyMatch(e -> e.getText().contains("psst bea")));
    carl.send("C PING after");
    carl.expect("C PONG after"); // nothing of ann's DM to bea reached carl before this
    Path shot = ann.getScreenshotAs(OutputType.FILE).toPath();
    Path docs = Path.of(System.getProperty("parley.screenshot", ""));
    if (!docs.toString().isEmpty()) {
      Files.copy(shot, docs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void markupInAMessageIsShownAsTextAndNeverRuns() throws Exception {
    ChromeDriver ann = page.browser("ann");
    LineClient carl = page.console("carl");
    String attack = "<img src=x onerror=\"document.title='pwned'\"> \u202Eevil";
    carl.send("C PM", "D " + attack);
    waitFor(ann, d -> shows(d, "evil"));
    WebElement message = messages(ann).get(messages(ann).size() - 1);
    assertTrue(message.getText().contains("<img src=x onerror="), message.getText());
    assertTrue(message.getText().contains("U+202E"), "the bidi override is made visible");
    assertTrue(ann.findElements(By.cssSelector("#log img")).isEmpty());
    assertNotEquals("pwned", ann.getTitle());
  }

  @Test
  void afterAServerRestartThePageResumesAndShowsEachMessageOnce() throws Exception {
    ChromeDriver ann = page.browser("ann");
    LineClient carl = page.console("carl");
    carl.send("C PM", "D before one", "C PM", "D before two");
    waitFor(ann, d -> shows(d, "before two"));

    page.stopServer();
    waitFor(ann, d -> status(d).startsWith("offline"));
    page.startServer();
    LineClient carl2 = page.console("carl");
    carl2.send("C PM", "D after the restart");
    carl2.nextStartingWith("C SENT PM ");
    waitFor(ann, d -> status(d).equals("online as ann"));
    waitFor(ann, d -> shows(d, "after the restart"));
    ann.findElement(By.id("text")).sendKeys("/history 50\n"); // asks for all of it again
    carl2.send("C PM", "D last");
    waitFor(ann, d -> shows(d, "last"));

    List<String> texts = new ArrayList<>();
    Set<String> seqs = new HashSet<>();
    for (WebElement m : messages(ann)) {
      assertTrue(seqs.add(m.getAttribute("data-seq")), "seq shown twice: " + m.getText());
      texts.add(m.findElement(By.className("text")).getText());
    }
    assertEquals(List.of("before one", "before two", "after the restart", "last"), texts);
  }
}
