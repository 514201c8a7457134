package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.say;
import static dev.parley.server.web.PageUnderTest.shows;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.LineClient;
import dev.parley.server.web.PageUnderTest.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page's layout on a phone and on a desktop once the timeline is longer than the screen: the
 * message box stays on screen, the newest message is in view, and the timeline (not the online
 * list) takes the room. With {@code -Dparley.screenshots=DIR} each screen is saved there as a PNG.
 */
class PageLayoutEndToEndTest {
  private static final int USERS_ONLINE = 10;
  private static final int MESSAGES = 40;

  /** Where things are, in CSS pixels of the viewport; one object, read at one moment. */
  private static final String GEOMETRY =
      """
      const rect = e => e.getBoundingClientRect();
      const box = rect(document.getElementById('text'));
      const send = rect(document.getElementById('send'));
      const log = rect(document.getElementById('log'));
      const last = rect([...document.querySelectorAll('#log [data-seq]')].pop());
      return {
        width: window.innerWidth, height: window.innerHeight,
        pageHeight: document.documentElement.scrollHeight,
        boxTop: box.top, boxBottom: box.bottom, boxLeft: box.left, boxRight: box.right,
        sendRight: send.right, sendBottom: send.bottom,
        logTop: log.top, logBottom: log.bottom,
        lastTop: last.top, lastBottom: last.bottom,
      };
      """;

  @TempDir Path temp;
  private PageUnderTest page;

  @BeforeEach
  void start() throws Exception {
    page = PageUnderTest.start(temp);
  }

  @AfterEach
  void stop() throws Exception {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void onAPhoneTheMessageBoxAndTheNewestMessageStayOnScreen() throws Exception {
    fillTheTimelineAndCheckTheLayout(Screen.PHONE, "phone");
  }

  @Test
  void onADesktopTheMessageBoxAndTheNewestMessageStayOnScreen() throws Exception {
    fillTheTimelineAndCheckTheLayout(Screen.DESKTOP, "desktop");
  }

  private void fillTheTimelineAndCheckTheLayout(Screen screen, String label) throws Exception {
    LineClient talker = page.console("talker");
    for (int i = 1; i < USERS_ONLINE; i++) {
      page.console("participant" + i);
    }
    ChromeDriver ann = page.browser("ann", screen);
    for (int i = 1; i <= MESSAGES; i++) {
      talker.send("C PM", "D line " + i + " of a conversation longer than the screen");
    }
    waitFor(ann, d -> shows(d, "line " + MESSAGES + " of a conversation longer than the screen"));
    say(ann, "and one from the page itself");
    waitFor(ann, d -> shows(d, "and one from the page itself"));

    Map<?, ?> at = (Map<?, ?>) ann.executeScript(GEOMETRY);
    saveScreenshot(ann, label);
    String where = label + " " + at;
    double height = number(at, "height");
    double width = number(at, "width");
    assertTrue(number(at, "boxTop") >= 0 && number(at, "boxBottom") <= height, where);
    assertTrue(number(at, "boxLeft") >= 0 && number(at, "sendRight") <= width, where);
    assertTrue(number(at, "sendBottom") <= height, "the send button is on screen: " + where);
    assertTrue(number(at, "pageHeight") <= height, "only the timeline scrolls: " + where);
    double visibleBottom = Math.min(number(at, "logBottom"), height);
    assertTrue(
        number(at, "lastTop") >= number(at, "logTop") - 1
            && number(at, "lastBottom") <= visibleBottom + 1,
        "the newest message is in view: " + where);
    double logHeight = number(at, "logBottom") - number(at, "logTop");
    assertTrue(logHeight >= height / 2, "the timeline has most of the screen: " + where);
  }

  private static double number(Map<?, ?> geometry, String key) {
    return ((Number) geometry.get(key)).doubleValue();
  }

  private static void saveScreenshot(ChromeDriver driver, String label) throws Exception {
    String dir = System.getProperty("parley.screenshots", "");
    if (dir.isEmpty()) {
      return;
    }
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        shot,
        Files.createDirectories(Path.of(dir)).resolve("page-" + label + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
