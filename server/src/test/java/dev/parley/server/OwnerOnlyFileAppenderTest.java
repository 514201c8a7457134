package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each time logback opens the log (at start and after a roll-over), the file is created owner-only
 * and archives that logback's compressor wrote with the umask are narrowed.
 */
class OwnerOnlyFileAppenderTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theLogIsCreatedOwnerOnlyAndEarlierArchivesAreNarrowed() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path log = dir.resolve("parley.log");
    Path archive = dir.resolve("parley.log.2026-12-01.0.gz");
    Path other = dir.resolve("other.txt");
    for (Path p : new Path[] {archive, other}) {
      Files.writeString(p, "x");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
    OwnerOnlyFileAppender<ILoggingEvent> appender = new OwnerOnlyFileAppender<>();
    appender.setContext(new LoggerContext());
    try {
      appender.openFile(log.toString());
      assertEquals("rw-------", mode(log));
      assertEquals("rw-------", mode(archive));
      assertEquals("rw-r--r--", mode(other), "not the log's: left alone");
    } finally {
      appender.stop();
    }
  }
}
