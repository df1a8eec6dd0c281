package io.rusket.beam.miner;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The record format of {@link FPMiner}'s sorted runs, and its readers and writers.
 *
 * <p>A run is a sequence of transaction records in strictly ascending (signed) transaction id
 * order, one record per transaction:
 *
 * <pre>
 *   record := varlong(txn - previousTxn)  varint(n)  varint(item[0])  varint(item[k] - item[k-1] - 1)...
 * </pre>
 *
 * with {@code previousTxn = 0} before the first record and the difference taken as an unsigned
 * 64-bit value (ascending signed ids always give a difference that fits), and the {@code n} item
 * ids of the transaction strictly ascending. Varints are LEB128 (7 bits per byte, low first).
 * Sequential ids and small item ids take one byte each, so a run costs about 1 to 2 bytes per
 * (transaction, item) pair against 12 for the raw pair.
 */
final class RunFormat {
  private RunFormat() {}

  /**
   * Writes records to a growable byte array, or through to a stream when one is given (then the
   * array is only a 64 KiB buffer).
   */
  static final class Writer {
    private byte[] buf;
    private int pos;
    private final OutputStream out;
    private long flushed;
    private long previousTxn;
    private long nTxns;
    private long nPairs;

    /** An in-memory writer. */
    Writer(int initialCapacity) {
      this.buf = new byte[Math.max(initialCapacity, 64)];
      this.out = null;
    }

    /** A writer through to {@code out}. */
    Writer(OutputStream out) {
      this.buf = new byte[1 << 16];
      this.out = out;
    }

    /** Appends one transaction; {@code items[0..n)} must be strictly ascending. */
    void write(long txn, int[] items, int n) throws IOException {
      write(txn, items, 0, n);
    }

    /** Appends one transaction; {@code items[from..from+n)} must be strictly ascending. */
    void write(long txn, int[] items, int from, int n) throws IOException {
      ensure(10 + 5 + 5L * n);
      pos = putVarLong(buf, pos, txn - previousTxn);
      pos = putVarInt(buf, pos, n);
      int prev = -1;
      for (int k = from; k < from + n; k++) {
        int item = items[k];
        pos = putVarInt(buf, pos, item - prev - 1);
        prev = item;
      }
      previousTxn = txn;
      nTxns++;
      nPairs += n;
    }

    private void ensure(long room) throws IOException {
      if (pos + room <= buf.length) {
        return;
      }
      if (out != null) {
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
        if (room > buf.length) {
          buf = new byte[ArrayUtil.grow(buf.length, room)];
        }
      } else {
        buf = Arrays.copyOf(buf, ArrayUtil.grow(buf.length, pos + room));
      }
    }

    /** Flushes a streaming writer; returns the number of bytes written. */
    long finish() throws IOException {
      if (out != null) {
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
        out.flush();
      }
      return flushed + pos;
    }

    long nTxns() {
      return nTxns;
    }

    long nPairs() {
      return nPairs;
    }

    /** The bytes of an in-memory writer, trimmed. */
    byte[] toByteArray() {
      return Arrays.copyOf(buf, pos);
    }
  }

  /**
   * Reads a run, record by record, from a byte array or from a stream through a 64 KiB buffer.
   * After {@link #next()} returns true, {@link #txn}, {@link #length} and {@link #items} describe
   * the current record.
   */
  static final class Cursor {
    private byte[] buf;
    private int pos;
    private int limit;
    private final InputStream in;
    private final String source;
    private long remaining;

    long txn;
    int length;
    int[] items = new int[16];

    /** Reads {@code nTxns} records from {@code data[from, to)}. */
    Cursor(byte[] data, int from, int to, long nTxns, String source) {
      this.buf = data;
      this.pos = from;
      this.limit = to;
      this.in = null;
      this.remaining = nTxns;
      this.source = source;
    }

    /** Reads {@code nTxns} records from {@code in}; the caller closes the stream. */
    Cursor(InputStream in, long nTxns, String source) {
      this.buf = new byte[1 << 16];
      this.in = in;
      this.remaining = nTxns;
      this.source = source;
    }

    /** Advances to the next record; false at the end of the run. */
    boolean next() throws IOException {
      if (remaining == 0) {
        return false;
      }
      if (in != null && limit - pos < FAST_BYTES) {
        refill();
      }
      int start = pos;
      long savedTxn = txn;
      if (fastNext()) {
        return true;
      }
      // The record runs past the buffered bytes (or the data is corrupt): byte by byte.
      pos = start;
      txn = savedTxn;
      return slowNext();
    }

    /** Bytes kept buffered ahead of a stream cursor, so most records decode in one go. */
    private static final int FAST_BYTES = 4096;

    /** Moves the unread bytes to the front and reads until the buffer is full or the end. */
    private void refill() throws IOException {
      int left = limit - pos;
      System.arraycopy(buf, pos, buf, 0, left);
      pos = 0;
      limit = left;
      while (limit < buf.length) {
        int r = in.read(buf, limit, buf.length - limit);
        if (r <= 0) {
          break;
        }
        limit += r;
      }
    }

    /**
     * Decodes one record straight from the buffer; false (state to be restored by the caller) when
     * it would read past the buffered bytes or finds malformed data.
     */
    private boolean fastNext() {
      final byte[] b = buf;
      int p = pos;
      final int lim = limit;
      try {
        long delta = 0;
        int shift = 0;
        while (true) {
          byte x = b[p++];
          delta |= (long) (x & 0x7F) << shift;
          if (x >= 0) {
            break;
          }
          shift += 7;
          if (shift > 63) {
            return false;
          }
        }
        int n = b[p++];
        if (n < 0) {
          n &= 0x7F;
          for (int s = 7; ; s += 7) {
            byte x = b[p++];
            n |= (x & 0x7F) << s;
            if (x >= 0) {
              break;
            }
            if (s > 28) {
              return false;
            }
          }
        }
        if (n < 0 || p > lim) {
          return false;
        }
        int[] out = items;
        if (n > out.length) {
          if ((long) p + n > lim) {
            return false; // cannot be a valid record within the buffered bytes
          }
          out = items = new int[ArrayUtil.grow(out.length, n)];
        }
        int prev = -1;
        for (int k = 0; k < n; k++) {
          int d = b[p++];
          if (d < 0) {
            d &= 0x7F;
            for (int s = 7; ; s += 7) {
              byte x = b[p++];
              d |= (x & 0x7F) << s;
              if (x >= 0) {
                break;
              }
              if (s > 28) {
                return false;
              }
            }
          }
          prev = prev + 1 + d;
          if (d < 0 || prev < 0) {
            return false;
          }
          out[k] = prev;
        }
        if (p > lim) {
          return false;
        }
        long t = txn + delta;
        if (!first && (delta == 0 || t <= txn)) {
          return false;
        }
        first = false;
        txn = t;
        length = n;
        pos = p;
        remaining--;
        return true;
      } catch (ArrayIndexOutOfBoundsException e) {
        return false;
      }
    }

    private boolean slowNext() throws IOException {
      remaining--;
      long delta = readVarLong();
      long t = txn + delta;
      if (!first && (delta == 0 || t <= txn)) {
        // Records are strictly ascending; anything else is corrupt data.
        throw corrupt("transaction ids out of order (" + txn + " then " + t + ")");
      }
      first = false;
      txn = t;
      int n = readVarInt();
      if (n < 0) {
        throw corrupt("negative item count");
      }
      if (n > items.length) {
        items = new int[ArrayUtil.grow(items.length, n)];
      }
      int prev = -1;
      for (int k = 0; k < n; k++) {
        int d = readVarInt();
        prev = prev + 1 + d;
        if (d < 0 || prev < 0) {
          throw corrupt("item id overflow");
        }
        items[k] = prev;
      }
      length = n;
      return true;
    }

    private boolean first = true;

    private IOException corrupt(String what) {
      return new IOException("Corrupt FPMiner run data in " + source + ": " + what);
    }

    private int readByte() throws IOException {
      if (pos == limit) {
        if (in == null) {
          throw new EOFException("Truncated FPMiner run data in " + source);
        }
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) {
          throw new EOFException("Truncated FPMiner run data in " + source);
        }
        pos = 0;
        limit = r;
      }
      return buf[pos++];
    }

    private long readVarLong() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte();
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw corrupt("varint longer than 10 bytes");
    }

    private int readVarInt() throws IOException {
      int b = readByte();
      if (b >= 0) {
        return b;
      }
      int v = b & 0x7F;
      for (int shift = 7; shift < 35; shift += 7) {
        b = readByte();
        v |= (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw corrupt("varint longer than 5 bytes");
    }
  }

  static int putVarLong(byte[] buf, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  static int putVarInt(byte[] buf, int pos, int v) {
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  static void writeVarLong(OutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static long readVarLong(InputStream in, String what) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Truncated FPMiner encoding: end of input inside " + what);
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("Corrupt FPMiner encoding: varint longer than 10 bytes in " + what);
  }

  /** Receives merged transactions: {@code items[0..n)} strictly ascending, valid until return. */
  interface RecordSink {
    void accept(long txn, int[] items, int n) throws IOException;
  }

  /**
   * K-way merge of runs into one stream of transactions in ascending id order, with the items of a
   * transaction found in several runs united (each item once).
   *
   * @return the number of distinct transactions
   */
  static long merge(Cursor[] cursors, RecordSink sink) throws IOException {
    Merger m = new Merger(cursors);
    long txns = 0;
    while (m.next()) {
      sink.accept(m.txn, m.items, m.length);
      txns++;
    }
    return txns;
  }

  /**
   * The k-way merge of {@link #merge} in pull form: after {@link #next()} returns true, {@link
   * #txn}, {@link #length} and {@link #items}{@code [0, length)} (strictly ascending, valid until
   * the next call) describe the next transaction. Reads the cursors and nothing else, so two
   * mergers can be walked side by side (as {@code FPMiner.equals} does).
   */
  static final class Merger {
    private final Cursor[] cursors;
    private Cursor[] heap;
    private int k;

    /** The only non-empty cursor, whose records are already merged; null otherwise. */
    private Cursor single;

    /** Whether {@link #single} must be advanced before its record is exposed. */
    private boolean advanceSingle;

    private int[] union = new int[64];

    long txn;
    int length;
    int[] items;

    Merger(Cursor[] cursors) {
      this.cursors = cursors;
    }

    /** Advances to the next merged transaction; false at the end. */
    boolean next() throws IOException {
      if (heap == null) {
        start();
      }
      if (single != null) {
        if (advanceSingle && !single.next()) {
          single = null;
          return false;
        }
        advanceSingle = true;
        txn = single.txn;
        items = single.items;
        length = single.length;
        return true;
      }
      if (k == 0) {
        return false;
      }
      final long t = heap[0].txn;
      int n = 0;
      int sources = 0;
      // Pop every cursor positioned at this transaction, collecting its items.
      while (k > 0 && heap[0].txn == t) {
        Cursor c = heap[0];
        union = ensure(union, n + c.length);
        System.arraycopy(c.items, 0, union, n, c.length);
        n += c.length;
        sources++;
        if (c.next()) {
          siftDown(heap, k, 0);
        } else {
          heap[0] = heap[--k];
          if (k > 0) {
            siftDown(heap, k, 0);
          }
        }
      }
      if (sources > 1) {
        n = sortUnique(union, n);
      }
      txn = t;
      items = union;
      length = n;
      return true;
    }

    private void start() throws IOException {
      heap = new Cursor[cursors.length];
      for (Cursor c : cursors) {
        if (c.next()) {
          heap[k++] = c;
        }
      }
      for (int i = k / 2 - 1; i >= 0; i--) {
        siftDown(heap, k, i);
      }
      if (k == 1) {
        // One run: its records are already merged.
        single = heap[0];
        k = 0;
      }
    }
  }

  private static int[] ensure(int[] a, int n) {
    return n <= a.length ? a : Arrays.copyOf(a, ArrayUtil.grow(a.length, n));
  }

  /**
   * Removes repeats from the sorted {@code a[from..to)}, keeping the distinct values at the front
   * of the range; returns their number.
   */
  static int unique(int[] a, int from, int to) {
    int w = from;
    for (int i = from; i < to; i++) {
      if (w == from || a[i] != a[w - 1]) {
        a[w++] = a[i];
      }
    }
    return w - from;
  }

  /** Sorts {@code a[0..n)} and removes repeats; returns the new length. */
  static int sortUnique(int[] a, int n) {
    return sortUnique(a, 0, n);
  }

  /**
   * Sorts {@code a[from..to)} and removes repeats, keeping the distinct values at the front of the
   * range; returns their number.
   */
  static int sortUnique(int[] a, int from, int to) {
    if (to - from > 32) {
      Arrays.sort(a, from, to);
    } else {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
    }
    return unique(a, from, to);
  }

  private static void siftDown(Cursor[] heap, int k, int i) {
    Cursor c = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= k) {
        break;
      }
      if (child + 1 < k && heap[child + 1].txn < heap[child].txn) {
        child++;
      }
      if (heap[child].txn >= c.txn) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = c;
  }
}
