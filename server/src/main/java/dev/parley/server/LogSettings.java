package dev.parley.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.parley.cli.BadValueException;
import dev.parley.cli.OptionValues;
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
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
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

  static void addOptions(Options o) {
    o.addOption(
        Option.builder()
            .longOpt("log-file")
            .hasArg()
            .argName("FILE")
            .desc("write the log to FILE instead of standard error, rolled daily and by size")
            .build());
    o.addOption(
        Option.builder()
            .longOpt("log-max-mb")
            .hasArg()
            .argName("MB")
            .desc(
                "with --log-file: roll the file over at this size (default "
                    + DEFAULT_MAX_FILE_MEGABYTES
                    + ")")
            .build());
    o.addOption(
        Option.builder()
            .longOpt("log-keep-days")
            .hasArg()
            .argName("DAYS")
            .desc("with --log-file: days of rolled files kept (default " + DEFAULT_KEEP_DAYS + ")")
            .build());
    o.addOption(
        Option.builder()
            .longOpt("log-level")
            .hasArg()
            .argName("LEVEL")
            .desc("TRACE, DEBUG, INFO, WARN or ERROR for parley's own lines (default INFO)")
            .build());
  }

  static LogSettings from(CommandLine line) throws BadValueException {
    String file = line.getOptionValue("log-file");
    String level = line.getOptionValue("log-level");
    if (level != null && !LEVELS.contains(level.toUpperCase(Locale.ROOT))) {
      throw new BadValueException(
          "log-level",
          "--log-level is one of " + String.join(", ", LEVELS) + ", got '" + level + "'");
    }
    return new LogSettings(
        file == null || file.isEmpty() ? null : Path.of(file),
        level == null ? null : Level.toLevel(level.toUpperCase(Locale.ROOT)),
        OptionValues.intIn(
            "log-keep-days",
            line.getOptionValue("log-keep-days", String.valueOf(DEFAULT_KEEP_DAYS)),
            1,
            36_500),
        OptionValues.intIn(
            "log-max-mb",
            line.getOptionValue("log-max-mb", String.valueOf(DEFAULT_MAX_FILE_MEGABYTES)),
            1,
            1_000_000));
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
