package dev.parley.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.parley.cli.BadValueException;
import dev.parley.cli.Setting;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.slf4j.LoggerFactory;

/**
 * Where the log goes and how much of it: standard error (logback.xml) or, with {@code --log-file},
 * a file rolled over every day and whenever it reaches {@code --log-max-mb}, keeping {@code
 * --log-keep-days} days of compressed old files (logback-file.xml). Either way lines go through the
 * same bounded asynchronous queue, so the event loop never waits for the disk or a terminal.
 * Applied once by {@link Main} before the server starts.
 *
 * @param file the log file, or null for standard error
 * @param level the level of parley's own loggers, or null for the configuration's ({@code
 *     PARLEY_LOG_LEVEL}, else INFO)
 * @param keepDays days of rolled files kept
 * @param maxFileMegabytes size at which the file is rolled over within a day
 */
record LogSettings(Path file, Level level, int keepDays, int maxFileMegabytes) {
  static final int DEFAULT_KEEP_DAYS = 14;
  static final int DEFAULT_MAX_FILE_MEGABYTES = 100;
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private static final Setting<Object> FILE =
      Setting.text(
          "log-file",
          "FILE",
          "write the log to FILE instead of standard error, rolled daily and by size",
          null,
          null);
  private static final Setting<Object> MAX_MB =
      Setting.whole(
          "log-max-mb",
          "MB",
          "with --log-file: roll the file over at this size",
          DEFAULT_MAX_FILE_MEGABYTES,
          1,
          1_000_000,
          null);
  private static final Setting<Object> KEEP_DAYS =
      Setting.whole(
          "log-keep-days",
          "DAYS",
          "with --log-file: days of rolled files kept",
          DEFAULT_KEEP_DAYS,
          1,
          36_500,
          null);
  private static final Setting<Object> LEVEL =
      Setting.text(
          "log-level",
          "LEVEL",
          "TRACE, DEBUG, INFO, WARN or ERROR for parley's own lines",
          "INFO",
          null);

  /** The log's rows of the server's option table. */
  static final List<Setting<Object>> SETTINGS = List.of(FILE, MAX_MB, KEEP_DAYS, LEVEL);

  static LogSettings from(CommandLine line) throws BadValueException {
    String file = FILE.text(line);
    String level = LEVEL.text(line);
    if (level != null && !LEVELS.contains(level.toUpperCase(Locale.ROOT))) {
      throw new BadValueException(
          "log-level",
          "--log-level is one of " + String.join(", ", LEVELS) + ", got '" + level + "'");
    }
    return new LogSettings(
        file == null || file.isEmpty() ? null : Path.of(file),
        level == null ? null : Level.toLevel(level.toUpperCase(Locale.ROOT)),
        (int) KEEP_DAYS.wholeOrDefault(line),
        (int) MAX_MB.wholeOrDefault(line));
  }

  /**
   * Switches logback to the file configuration if a file was asked for, then sets the level.
   *
   * @throws IllegalStateException when logback cannot open the file (one line)
   */
  void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another slf4j binding (never in the jar): leave it as configured
    }
    String openFolder = null;
    if (file != null) {
      openFolder = prepareFolder();
      URL xml = LogSettings.class.getResource("/logback-file.xml");
      long since = System.currentTimeMillis();
      context.reset();
      context.putProperty("PARLEY_LOG_FILE", file.toAbsolutePath().toString());
      context.putProperty("PARLEY_LOG_KEEP_DAYS", String.valueOf(keepDays));
      context.putProperty("PARLEY_LOG_MAX_SIZE", maxFileMegabytes + "MB");
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      try {
        configurator.doConfigure(xml);
      } catch (JoranException e) {
        throw new IllegalStateException("cannot write the log to " + file + ": " + e.getMessage());
      }
      // Logback reports a file it cannot open as a status, not an exception.
      for (Status s : context.getStatusManager().getCopyOfStatusList()) {
        if (s.getLevel() == Status.ERROR && s.getTimestamp() >= since) {
          Throwable cause = s.getThrowable();
          throw new IllegalStateException(
              "cannot write the log to "
                  + file
                  + ": "
                  + (cause != null && cause.getMessage() != null
                      ? cause.getMessage()
                      : s.getMessage()));
        }
      }
    }
    if (level != null) {
      context.getLogger("dev.parley").setLevel(level);
    }
    if (openFolder != null) {
      LoggerFactory.getLogger(LogSettings.class)
          .warn(
              "log folder {} is open to other users ({}); the log names who signed in from where,"
                  + " and archives are written with the umask until the next roll-over: chmod 700"
                  + " {}",
              file.toAbsolutePath().getParent(),
              openFolder,
              file.toAbsolutePath().getParent());
    }
  }

  /**
   * Creates the log file's folder {@code rwx------} if it is missing. A folder that is there is the
   * operator's and is left alone; returns its permissions if others may enter it, else null.
   */
  private String prepareFolder() {
    Path folder = file.toAbsolutePath().getParent();
    if (folder == null || !folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return null;
    }
    try {
      if (!Files.exists(folder)) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
        return null;
      }
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(folder);
      return OWNER_ONLY_FOLDER.containsAll(now) ? null : PosixFilePermissions.toString(now);
    } catch (IOException e) {
      return null; // logback tries the folder next and reports what is wrong with it
    }
  }
}
