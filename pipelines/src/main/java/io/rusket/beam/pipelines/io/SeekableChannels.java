package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Seekable channels of Beam's file systems that Arrow's readers can trust on every file system: on
 * the local one, Beam's own channel; elsewhere (HDFS, S3, GCS) a wrapper that reads every request
 * fully (Arrow's {@code ReadChannel} stops at a read of 0 bytes) and fills direct buffers through a
 * heap buffer: Beam 2.62's Hadoop channel advances a direct buffer's position twice (Hadoop's
 * {@code read(ByteBuffer)} moves it, then Beam moves it again), which Arrow, reading into direct
 * memory, sees as a corrupt batch ("newPosition > limit").
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * try (SeekableByteChannel ch = SeekableChannels.open(md.resourceId());
 *     ArrowFileReader reader = new ArrowFileReader(ch, allocator)) { ... }
 * }</pre>
 */
final class SeekableChannels {
  /** The heap buffer a direct read goes through, at most. */
  private static final int SCRATCH_BYTES = 1 << 20;

  private SeekableChannels() {}

  /** Opens {@code id} for reading. */
  static SeekableByteChannel open(ResourceId id) throws IOException {
    return wrap((SeekableByteChannel) FileSystems.open(id), id.getScheme());
  }

  /** {@code ch} (of a file on the file system of {@code scheme}), wrapped unless it is local. */
  static SeekableByteChannel wrap(SeekableByteChannel ch, String scheme) {
    return "file".equals(scheme) ? ch : new FullReads(ch);
  }

  /** Reads fully, direct buffers through the heap. */
  private static final class FullReads implements SeekableByteChannel {
    private final SeekableByteChannel in;
    private byte[] scratch = new byte[0];

    FullReads(SeekableByteChannel in) {
      this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int total = 0;
      while (dst.hasRemaining()) {
        int n = dst.hasArray() ? in.read(dst) : readDirect(dst);
        if (n < 0) {
          return total == 0 ? -1 : total;
        }
        if (n == 0) {
          break; // a blocking channel that gives nothing now: let the caller decide
        }
        total += n;
      }
      return total;
    }

    private int readDirect(ByteBuffer dst) throws IOException {
      int want = Math.min(dst.remaining(), SCRATCH_BYTES);
      if (scratch.length < want) {
        scratch = new byte[want];
      }
      ByteBuffer heap = ByteBuffer.wrap(scratch, 0, want);
      int n = in.read(heap);
      if (n > 0) {
        dst.put(scratch, 0, n);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public long position() throws IOException {
      return in.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      in.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return in.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public boolean isOpen() {
      return in.isOpen();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
