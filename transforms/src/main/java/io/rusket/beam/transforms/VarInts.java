package io.rusket.beam.transforms;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Bulk VarInt runs for the coders of {@link GroupEvents} and {@link KeyDictionary}: the same bytes
 * as Beam's {@code VarInt.encode} writes one value at a time (7 bits per byte, low first, high bit
 * = more; an int as its unsigned 32 bits), but written through a buffer in large blocks, and read
 * in blocks too without reading past the last value: each read asks for at most as many bytes as
 * values remain (every value takes at least one byte), so a run can sit in the middle of a stream
 * with no length prefix. On Spark every shuffled accumulator goes through these, so byte-at-a-time
 * stream calls were a large share of a grouped run.
 */
final class VarInts {
  private VarInts() {}

  private static final int BLOCK = 1 << 16;

  /** Writes {@code a[k], b[k]} for {@code k < n} as interleaved VarInts (unsigned 32 bits). */
  static void writeIntPairs(OutputStream out, int[] a, int[] b, int n) throws IOException {
    byte[] buf = new byte[Math.min(BLOCK, 10 * Math.max(n, 1)) + 10];
    int w = 0;
    for (int k = 0; k < n; k++) {
      if (w > buf.length - 10) {
        out.write(buf, 0, w);
        w = 0;
      }
      w = put(buf, w, a[k] & 0xFFFFFFFFL);
      w = put(buf, w, b[k] & 0xFFFFFFFFL);
    }
    out.write(buf, 0, w);
  }

  /** Writes {@code v[0, n)} as VarLongs. */
  static void writeLongs(OutputStream out, long[] v, int n) throws IOException {
    byte[] buf = new byte[Math.min(BLOCK, 10 * Math.max(n, 1)) + 10];
    int w = 0;
    for (int k = 0; k < n; k++) {
      if (w > buf.length - 10) {
        out.write(buf, 0, w);
        w = 0;
      }
      w = put(buf, w, v[k]);
    }
    out.write(buf, 0, w);
  }

  private static int put(byte[] buf, int w, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[w++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[w++] = (byte) v;
    return w;
  }

  /**
   * Reads {@code 2n} interleaved VarInts into {@code a[k], b[k]}, {@code k < n}.
   *
   * @throws CoderException for a value that does not fit in 32 bits, EOFException at the end
   */
  static void readIntPairs(InputStream in, int[] a, int[] b, int n) throws IOException {
    Reader r = new Reader(in, 2L * n);
    for (int k = 0; k < n; k++) {
      a[k] = toInt(r.next());
      b[k] = toInt(r.next());
    }
  }

  /** Reads {@code n} VarLongs into {@code v[0, n)}. */
  static void readLongs(InputStream in, long[] v, int n) throws IOException {
    Reader r = new Reader(in, n);
    for (int k = 0; k < n; k++) {
      v[k] = r.next();
    }
  }

  private static int toInt(long v) throws CoderException {
    if ((v >>> 32) != 0) {
      throw new CoderException("VarInt overflow: " + v + " does not fit in 32 bits");
    }
    return (int) v;
  }

  /** Reads a known number of VarInts in blocks, never past the last one. */
  private static final class Reader {
    private final InputStream in;
    private final byte[] buf;
    private long remaining;
    private int pos;
    private int len;

    Reader(InputStream in, long values) {
      this.in = in;
      this.remaining = values;
      this.buf = new byte[(int) Math.min(BLOCK, Math.max(values, 1))];
    }

    /** The next value; {@code remaining} values (this one included) are still to come. */
    long next() throws IOException {
      long v = 0;
      int shift = 0;
      while (true) {
        if (pos == len) {
          fill();
        }
        byte b = buf[pos++];
        if (shift >= 64 || (shift == 63 && (b & 0x7E) != 0)) {
          throw new CoderException("VarLong too long");
        }
        v |= (long) (b & 0x7F) << shift;
        shift += 7;
        if (b >= 0) {
          remaining--;
          return v;
        }
      }
    }

    /**
     * Reads at most {@code remaining} bytes (the least the values still to come take): the current
     * value needs at least one more byte, and each later one at least one.
     */
    private void fill() throws IOException {
      int want = (int) Math.min(buf.length, Math.max(remaining, 1));
      int got = in.readNBytes(buf, 0, want);
      if (got <= 0) {
        throw new EOFException("end of stream inside a VarInt run");
      }
      pos = 0;
      len = got;
    }
  }
}
