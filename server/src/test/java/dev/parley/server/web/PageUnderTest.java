package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerUnderTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real server with its web port, the headless browsers and console users a page test opens, and
 * the few steps every page test takes (sign in, type a line, read the timeline). As a JUnit
 * extension ({@code @RegisterExtension final PageUnderTest page = new PageUnderTest();}) it skips
 * the test without chromium (fails it under CI), starts the server in a fresh folder before each
 * test, and after it quits the browsers, closes the consoles, stops the server and removes the
 * folder.
 */
final class PageUnderTest implements BeforeEachCallback, AfterEachCallback {
  static final Duration WAIT = Duration.ofSeconds(15);

  /** A screen the page is opened on: CSS pixels, and whether Chromium acts as a phone. */
  record Screen(int width, int height, boolean mobile) {
    static final Screen DESKTOP = new Screen(1280, 800, false);
    static final Screen PHONE = new Screen(390, 844, true);
  }

  private Path temp;
  private ServerConfig config;
  private int webPort;
  private ChatServer server;
  private final List<ChromeDriver> browsers = new ArrayList<>();
  private final List<LineClient> consoles = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    HeadlessChromium.requireInstalled();
    temp = Files.createTempDirectory("parley-page");
    try (ServerSocket probe = new ServerSocket(0)) {
      webPort = probe.getLocalPort(); // a fixed port, so the page finds a restarted server
    }
    config =
        ServerUnderTest.defaults()
            .withAddress("127.0.0.1", 0)
            .withSqliteStore(Files.createDirectories(temp.resolve("data")));
    startServer();
  }

  void startServer() throws Exception {
    server = ChatServer.with(config).web(WebConfig.on(webPort)).start();
  }

  /** Stops the server; the page's users see it go and wait for {@link #startServer()}. */
  void stopServer() {
    server.close();
  }

  /** A browser at the default window size, signed in as {@code name}. */
  ChromeDriver browser(String name) throws Exception {
    return browser(name, null);
  }

  /** A browser showing the page on {@code screen} (null: the default window), signed in. */
  ChromeDriver browser(String name, Screen screen) throws Exception {
    ChromeDriver driver = HeadlessChromium.start(Files.createDirectories(temp.resolve("chrome")));
    browsers.add(driver);
    if (screen != null) {
      driver.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of(
              "width", screen.width(),
              "height", screen.height(),
              "deviceScaleFactor", 1,
              "mobile", screen.mobile()));
    }
    driver.get("http://127.0.0.1:" + webPort + "/");
    driver.findElement(By.id("name")).sendKeys(name);
    driver.findElement(By.id("signin")).click();
    waitFor(driver, d -> status(d).equals("online as " + name));
    assertFalse(driver.findElement(By.id("signin")).isDisplayed(), "sign-in form still shown");
    assertTrue(driver.findElement(By.id("text")).isDisplayed());
    return driver;
  }

  LineClient console(String name) throws Exception {
    LineClient c = LineClient.signedIn(server.port(), name);
    consoles.add(c);
    return c;
  }

  static void waitFor(WebDriver driver, Function<WebDriver, Boolean> ok) {
    new WebDriverWait(driver, WAIT).until(ok::apply);
  }

  /** Waits for {@code ok}; on a timeout the failure says what {@code seen} shows by then. */
  static void waitFor(
      WebDriver driver, Function<WebDriver, Boolean> ok, Function<WebDriver, String> seen) {
    new WebDriverWait(driver, WAIT)
        .withMessage(() -> "saw: " + seen.apply(driver))
        .until(ok::apply);
  }

  static String status(WebDriver driver) {
    return driver.findElement(By.id("status")).getText();
  }

  /** Types {@code text} into the message box and presses Enter. */
  static void say(WebDriver driver, String text) {
    WebElement input = driver.findElement(By.id("text"));
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  /** The messages in the timeline (not the notices), in the order shown. */
  static List<WebElement> messages(WebDriver driver) {
    return driver.findElements(By.cssSelector("#log [data-seq]"));
  }

  static boolean shows(WebDriver driver, String text) {
    return messages(driver).stream().anyMatch(m -> m.getText().endsWith(text));
  }

  /**
   * With {@code -Dparley.screenshots=DIR}, saves what {@code driver} shows as DIR/page-LABEL.png.
   */
  static void saveScreenshot(ChromeDriver driver, String label) throws IOException {
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

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    for (ChromeDriver b : browsers) {
      b.quit();
    }
    for (LineClient c : consoles) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
    if (temp != null) {
      try (Stream<Path> files = Files.walk(temp)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }
}
