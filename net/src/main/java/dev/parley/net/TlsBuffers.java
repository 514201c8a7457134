package dev.parley.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import tlschannel.BufferAllocator;

/**
 * The buffers that tls-channel borrows for one read or one write of one connection and gives back
 * when the call is over (it releases them so that an idle connection holds none). Without a pool
 * each call allocated and zeroed a buffer of up to a TLS record (17 KiB): on the fan-out workload
 * that was the largest cost on the loop after the cipher itself. Here they are kept and lent again.
 * Bounded: beyond {@link #MAX_KEPT_BYTES} a returned buffer is left to the collector. Only a
 * connection that holds part of a record (a socket that took half of one, a record half arrived)
 * keeps one between calls. Loop thread only, as every call into a {@link TlsLayer}.
 */
final class TlsBuffers implements BufferAllocator {
  /** At most this many bytes are kept for lending: a few hundred records. */
  static final long MAX_KEPT_BYTES = 4L << 20;

  /** Sizes kept apart at most; a size beyond them is never kept. */
  private static final int MAX_SIZES = 8;

  // tls-channel asks for a few sizes only (its initial size, doubled up to one record): a free
  // list per size, found by a scan, so that lending allocates nothing (no boxed map key).
  private final List<SizeClass> sizes = new ArrayList<>();
  private long keptBytes;

  private record SizeClass(int capacity, ArrayDeque<ByteBuffer> free) {}

  @Override
  public ByteBuffer allocate(int size) {
    SizeClass sizeClass = find(size);
    ByteBuffer buffer = sizeClass == null ? null : sizeClass.free.pollLast();
    if (buffer == null) {
      return ByteBuffer.allocate(size);
    }
    keptBytes -= size;
    return buffer.clear();
  }

  @Override
  public void free(ByteBuffer buffer) {
    if (keptBytes + buffer.capacity() > MAX_KEPT_BYTES) {
      return;
    }
    SizeClass sizeClass = find(buffer.capacity());
    if (sizeClass == null) {
      if (sizes.size() == MAX_SIZES) {
        return;
      }
      sizeClass = new SizeClass(buffer.capacity(), new ArrayDeque<>());
      sizes.add(sizeClass);
    }
    sizeClass.free.addLast(buffer);
    keptBytes += buffer.capacity();
  }

  /** Bytes kept for lending now, for tests. */
  long keptBytes() {
    return keptBytes;
  }

  private SizeClass find(int capacity) {
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i).capacity == capacity) {
        return sizes.get(i);
      }
    }
    return null;
  }
}
