package dev.parley.server;

import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Logback's rolling file appender for {@code --log-file}, with files only the server's user can
 * read: the log names who signed in from where. Logback opens its files with the process's umask
 * (commonly {@code rw-r--r--}), so each time it opens the active file, at start and after every
 * roll-over, this creates it {@code rw-------} first, and narrows archives of earlier roll-overs
 * that the compressor wrote with the umask. The archive being compressed at that moment is narrowed
 * at the next roll-over or start; a log folder parley creates is {@code rwx------} ({@link
 * LogSettings}), which covers it meanwhile. Logback's writer thread only.
 */
public class OwnerOnlyFileAppender<E> extends RollingFileAppender<E> {
  static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  @Override
  public void openFile(String fileName) throws IOException {
    Path file = Path.of(fileName);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      ownerOnly(file);
    }
    super.openFile(fileName);
  }

  private static void ownerOnly(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && Files.isDirectory(folder)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
      } catch (FileAlreadyExistsException e) {
        // there from an earlier run: narrowed below with the archives
      }
      String prefix = file.getFileName().toString();
      try (Stream<Path> siblings = Files.list(folder)) {
        for (Path p : (Iterable<Path>) siblings::iterator) {
          if (p.getFileName().toString().startsWith(prefix)
              && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
              && !OWNER_ONLY_FILE.containsAll(Files.getPosixFilePermissions(p))) {
            Files.setPosixFilePermissions(p, OWNER_ONLY_FILE);
          }
        }
      }
    }
  }
}
