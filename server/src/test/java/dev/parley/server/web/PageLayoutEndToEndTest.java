package dev.parley.server.web;

import static dev.parley.server.web.PageUnderTest.say;
import static dev.parley.server.web.PageUnderTest.shows;
import static dev.parley.server.web.PageUnderTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.LineClient;
import dev.parley.server.web.PageUnderTest.Screen;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page's layout on a phone and on a desktop once the timeline is longer than the screen: the
 * message box stays on screen, the newest message is in view, and the timeline (not the online
 * list) takes the room.
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

  @RegisterExtension final PageUnderTest page = new PageUnderTest();

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
    PageUnderTest.saveScreenshot(ann, label);
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
}
