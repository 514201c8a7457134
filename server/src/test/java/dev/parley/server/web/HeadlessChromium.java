package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's chromium and chromium-driver, headless, each browser with a fresh profile. Nothing is
 * downloaded (the driver and the browser are given by path, so Selenium Manager never runs) and
 * nothing but 127.0.0.1 is contacted. Without chromium the browser tests are skipped with a logged
 * reason, unless CI is set: there they must run.
 */
final class HeadlessChromium {
  private static final Logger LOG = LoggerFactory.getLogger(HeadlessChromium.class);
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** Skips the calling test when chromium is absent outside CI; fails it under CI. */
  static void requireInstalled() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    String why =
        "chromium and chromium-driver are not installed (apt-get install chromium"
            + " chromium-driver)";
    if (System.getenv("CI") != null) {
      fail(why + "; under CI the browser tests must run");
    }
    LOG.warn("skipping the browser tests: {}", why);
    Assumptions.abort(why);
  }

  static ChromeDriver start(Path profiles) throws IOException {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,700",
        "--user-data-dir=" + Files.createTempDirectory(profiles, "profile"));
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }
}
