package dev.parley.server.history;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The server's data folder, created if missing and locked for as long as the server runs, so two
 * servers never write one database.
 */
final class DataFolder implements AutoCloseable {
  private static final String LOCK_FILE = "parley.lock";

  private final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataFolder(Path path, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static DataFolder open(Path path) throws StoreException {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new StoreException("cannot create data folder " + path + ": " + describe(e));
    }
    if (!Files.isWritable(path)) {
      throw new StoreException("data folder " + path + " is not writable");
    }
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot write in data folder " + path + ": " + describe(e));
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new StoreException("data folder " + path + " is in use by another parley server");
      }
      return new DataFolder(path, channel, lock);
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StoreException("data folder " + path + " is in use by another parley server");
    }
  }

  Path resolve(String name) {
    return path.resolve(name);
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
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason(); // the message would repeat the path
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
