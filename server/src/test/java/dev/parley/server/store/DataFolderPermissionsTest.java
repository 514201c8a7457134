package dev.parley.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder holds every DM and the password hashes: only the server's user may read it. A
 * real SQLite database in a temporary folder, its write-ahead log and shared-memory files (created
 * by SQLite's native code, not by Java) included.
 */
class DataFolderPermissionsTest {
  @TempDir Path dir;

  @BeforeEach
  void needsPosixPermissions() {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "no POSIX permissions on this file system");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** Every file in {@code folder} with its mode, by name. */
  private static Map<String, String> modes(Path folder) throws IOException {
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        modes.put(f.getFileName().toString(), mode(f));
      }
    }
    return modes;
  }

  /** Opens the store, writes one DM (so the WAL has content) and returns it open. */
  private static SqliteStore openAndWrite(Path data) throws StoreException {
    SqliteStore store = SqliteStore.open(data);
    store.append(List.of(ChatMessage.directMessage(store.lastSeq() + 1, 1L, "a", "b", "secret")));
    return store;
  }

  @Test
  void aNewDataFolderAndEveryFileInItAreTheOwnersOnly() throws Exception {
    Path data = dir.resolve("parley-data");
    SqliteStore store = openAndWrite(data);
    try {
      assertEquals("rwx------", mode(data));
      Map<String, String> modes = modes(data);
      assertTrue(
          modes
              .keySet()
              .containsAll(List.of("parley.db", "parley.db-wal", "parley.db-shm", "parley.lock")),
          modes.toString());
      modes.forEach((name, mode) -> assertEquals("rw-------", mode, name));
    } finally {
      store.close();
    }
  }

  @Test
  void filesLeftOpenByAnEarlierServerAreClosedToOthersAndAnOpenFolderIsWarnedAbout()
      throws Exception {
    Path data = dir.resolve("parley-data");
    openAndWrite(data).close();
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Stream<Path> files = Files.list(data)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    try (LogCapture log = LogCapture.attach()) {
      SqliteStore store = openAndWrite(data);
      try {
        modes(data).forEach((name, mode) -> assertEquals("rw-------", mode, name));
        assertEquals("rwxr-xr-x", mode(data), "a folder that exists is the operator's: left as is");
        List<String> warnings = log.warningsAndErrors();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
            warnings
                .get(0)
                .endsWith(
                    "] data folder "
                        + data
                        + " is open to other users (rwxr-xr-x); to close it: chmod 700 "
                        + data),
            warnings.get(0));
      } finally {
        store.close();
      }
    }
  }
}
