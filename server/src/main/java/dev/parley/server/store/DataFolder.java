package dev.parley.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's data folder, created if missing and locked for as long as the server runs, so two
 * servers never write one database. It holds every DM and the password hashes, so it is the server
 * user's alone: a folder this class creates is {@code rwx------} and the files it creates or finds
 * are {@code rw-------}. A folder that was already there is the operator's (a backup group may read
 * it on purpose): left as it is, with one WARN naming the fix when others can enter it.
 */
final class DataFolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataFolder.class);
  private static final String LOCK_FILE = "parley.lock";
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private final boolean posix; // false where permissions are not POSIX (left to the system)

  private DataFolder(Path path, boolean posix, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.posix = posix;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static DataFolder open(Path path) throws StoreException {
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.isDirectory(path)) {
        if (posix) {
          Files.createDirectories(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
        } else {
          Files.createDirectories(path);
        }
      } else if (posix) {
        warnIfOpenToOthers(path);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create data folder " + path + ": " + describe(e));
    }
    if (!Files.isWritable(path)) {
      throw new StoreException("data folder " + path + " is not writable");
    }
    FileChannel channel;
    try {
      Path lockFile = path.resolve(LOCK_FILE);
      closeToOthers(lockFile, posix);
      channel =
          posix
              ? FileChannel.open(
                  lockFile,
                  Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                  PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
              : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot write in data folder " + path + ": " + describe(e));
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new StoreException("data folder " + path + " is in use by another parley server");
      }
      return new DataFolder(path, posix, channel, lock);
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StoreException("data folder " + path + " is in use by another parley server");
    }
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  /**
   * The file {@code name} in the folder, made the owner's alone: created {@code rw-------} if it is
   * missing (an empty file is an empty SQLite database), its permissions narrowed if an earlier
   * server left it open to others. SQLite gives the {@code -wal}, {@code -shm} and {@code -journal}
   * files it creates later the database file's permissions, whatever the process's umask, so these
   * need only the narrowing ({@link #closeToOthers(String)}).
   */
  Path ownerOnlyFile(String name) throws StoreException {
    Path file = path.resolve(name);
    try {
      if (posix && !Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
      } else {
        closeToOthers(file, posix);
      }
    } catch (FileAlreadyExistsException e) {
      closeToOthers(name); // created in between: narrowed as any other
    } catch (IOException e) {
      throw new StoreException("cannot create " + file + ": " + describe(e));
    }
    return file;
  }

  /** Narrows the file {@code name} to {@code rw-------} if it exists and others may use it. */
  void closeToOthers(String name) throws StoreException {
    Path file = path.resolve(name);
    try {
      closeToOthers(file, posix);
    } catch (IOException e) {
      throw new StoreException("cannot change the permissions of " + file + ": " + describe(e));
    }
  }

  private static void closeToOthers(Path file, boolean posix) throws IOException {
    if (!posix || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (!OWNER_ONLY_FILE.containsAll(now)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
      LOG.info(
          "{} was {}; now {}",
          file,
          PosixFilePermissions.toString(now),
          PosixFilePermissions.toString(OWNER_ONLY_FILE));
    }
  }

  private static void warnIfOpenToOthers(Path folder) throws IOException {
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(folder);
    if (!OWNER_ONLY_FOLDER.containsAll(now)) {
      LOG.warn(
          "data folder {} is open to other users ({}); to close it: chmod 700 {}",
          folder,
          PosixFilePermissions.toString(now),
          folder);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // The lock goes with the channel anyway.
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing useful to do: the process is giving the folder up.
    }
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason(); // the message would repeat the path
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
