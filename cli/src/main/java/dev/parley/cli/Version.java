package dev.parley.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version a program was built as: the Maven project version and the git commit of the build,
 * written into {@code parley-version.properties} when the jar was made. Immutable; any thread.
 *
 * @param version the project version, such as {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated commit, or {@code unknown} when the build ran outside a checkout
 */
public record Version(String version, String commit) {
  static final String UNKNOWN = "unknown";
  private static final String RESOURCE = "parley-version.properties";

  /** The version of this build; {@code unknown} parts when the resource is missing or unfilled. */
  public static Version current() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // An unreadable resource inside our own jar leaves the version unknown; nothing to report.
    }
    return new Version(filled(p.getProperty("version")), filled(p.getProperty("commit")));
  }

  /** A value the build did not fill in (still {@code ${...}}) is unknown. */
  private static String filled(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value.trim();
  }

  /** {@code parley-server 0.1.0 (commit 1a2b3c4d5e6f)}: what {@code --version} prints. */
  public String line(String program) {
    return program + " " + version + " (commit " + commit + ")";
  }
}
