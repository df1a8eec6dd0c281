package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The events of one group as the encoded {@link GroupEvents} parts a reader made, kept encoded and
 * unmerged until the group's baskets are built ({@link #toBaskets()}): the accumulator of {@link
 * MineGroupedAccumulators}' combine over {@link GroupEvents} input ({@code EventPartsToGroupFn}).
 *
 * <p>Why: a runner's combine holds every group's accumulator of a partition at once — on Spark the
 * map side's {@code ExternalSorter} and the reduce side's {@code ExternalAppendOnlyMap}, which
 * check their size only every 32 records, so a few large accumulators growing in place are never
 * spilled. Merged {@link GroupEvents} take 8 bytes per event, the transaction keys and their lookup
 * tables, plus the arrays' growth room: a heap dump of {@code grouped} at 100M events in {@code
 * -Xmx2g} found 830 MB of them in the map side's sorter after 60M events read. Encoded parts take
 * the {@link GroupEvents.Coder} bytes, about 3.5 bytes per event for the generated logs, and a
 * merge only concatenates lists (no copy, no lookup table, no growth room).
 *
 * <p>Invariants: <b>E1</b> every part is the {@link GroupEvents.Coder} encoding of a {@link
 * GroupEvents} of this accumulator's key kinds with at least one pair; <b>E2</b> {@link #nPairs()}
 * is the sum of the parts' pair counts, {@link #encodedBytes()} the sum of their lengths. Parts are
 * never modified after they join, so two accumulators may share them.
 *
 * <p>Example:
 *
 * <pre>{@code
 * GroupEventParts acc = GroupEventParts.empty(KeyKind.INTEGER, KeyKind.INTEGER);
 * acc.add(eventsOfOneChunk);      // encoded now, the GroupEvents can go
 * acc.addAll(partsFromAnotherWorker);
 * GroupBaskets baskets = acc.toBaskets();   // == the merged GroupEvents' toBaskets()
 * }</pre>
 *
 * <p>{@code equals} is structural (same kinds, same parts in the same order); {@link #toBaskets()}
 * is the same for any order and split of the events.
 */
public final class GroupEventParts {
  private final KeyKind txnKind;
  private final KeyKind itemKind;
  private final List<byte[]> parts;

  /** Pairs of part k (repeats included), slots [0, parts.size()) in use. */
  private int[] partPairs = new int[4];

  private long nPairs;
  private long encodedBytes;

  private GroupEventParts(KeyKind txnKind, KeyKind itemKind, List<byte[]> parts) {
    this.txnKind = txnKind;
    this.itemKind = itemKind;
    this.parts = parts;
  }

  /** No events, with keys of the given kinds. */
  public static GroupEventParts empty(KeyKind txnKind, KeyKind itemKind) {
    return new GroupEventParts(
        Objects.requireNonNull(txnKind, "txnKind"),
        Objects.requireNonNull(itemKind, "itemKind"),
        new ArrayList<>());
  }

  /** The kind of the transaction keys. */
  public KeyKind txnKind() {
    return txnKind;
  }

  /** The kind of the item keys. */
  public KeyKind itemKind() {
    return itemKind;
  }

  /** Number of parts held. */
  public int nParts() {
    return parts.size();
  }

  /** Number of (transaction, item) pairs in all parts, repeats included. */
  public long nPairs() {
    return nPairs;
  }

  /** Bytes of the encoded parts. */
  public long encodedBytes() {
    return encodedBytes;
  }

  /** Approximate heap footprint in bytes. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + 32
        + RamUsage.references(parts.size())
        + RamUsage.ints(partPairs.length)
        + encodedBytes
        + parts.size() * (long) RamUsage.ARRAY_HEADER;
  }

  /**
   * Adds the events of {@code events} (left unchanged) as one encoded part; nothing for no events.
   * Returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   * @throws IllegalStateException if the group would outgrow its arrays ({@code
   *     GroupBaskets#checkCapacity})
   */
  public GroupEventParts add(GroupEvents events) {
    checkKinds(events.txnKind(), events.itemKind());
    if (events.nPairs() == 0) {
      return this;
    }
    GroupBaskets.checkCapacity(0, nPairs + events.nPairs());
    Bytes out = new Bytes();
    try {
      GroupEvents.coder().encode(events, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    append(out.exact(), events.nPairs());
    return this;
  }

  /**
   * Adds the parts of {@code other} (shared, not copied: parts are immutable); returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   * @throws IllegalStateException if the group would outgrow its arrays
   */
  public GroupEventParts addAll(GroupEventParts other) {
    checkKinds(other.txnKind, other.itemKind);
    if (other == this) {
      other = copy();
    }
    GroupBaskets.checkCapacity(0, nPairs + other.nPairs);
    for (int k = 0; k < other.parts.size(); k++) {
      append(other.parts.get(k), other.partPairs[k]);
    }
    return this;
  }

  /** A copy sharing the (immutable) parts. */
  private GroupEventParts copy() {
    GroupEventParts c = new GroupEventParts(txnKind, itemKind, new ArrayList<>(parts));
    c.partPairs = partPairs.clone();
    c.nPairs = nPairs;
    c.encodedBytes = encodedBytes;
    return c;
  }

  private void append(byte[] part, int pairs) {
    int k = parts.size();
    if (k == partPairs.length) {
      partPairs = ArrayUtil.grow(partPairs, k + 1L);
    }
    partPairs[k] = pairs;
    parts.add(part);
    nPairs += pairs;
    encodedBytes += part.length;
  }

  private void checkKinds(KeyKind t, KeyKind i) {
    if (t != txnKind || i != itemKind) {
      throw new IllegalArgumentException(
          String.format(
              "Events of %s transactions and %s items cannot join events of %s transactions"
                  + " and %s items",
              t, i, txnKind, itemKind));
    }
  }

  /**
   * The group's transactions, exactly as {@link GroupEvents#toBaskets()} of all the parts' events
   * merged: the parts are decoded one at a time into one pair array (8 bytes per event), so at the
   * peak this holds the encoded parts, that array and the baskets. This is left unchanged.
   *
   * @throws IllegalStateException if a part is corrupt (its coder's message)
   */
  public GroupBaskets toBaskets() {
    return GroupEvents.basketsOfParts(txnKind, itemKind, parts, partPairs, nPairs);
  }

  /** The parts (read-only view), in order. */
  List<byte[]> parts() {
    return Collections.unmodifiableList(parts);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GroupEventParts)) {
      return false;
    }
    GroupEventParts other = (GroupEventParts) o;
    if (txnKind != other.txnKind
        || itemKind != other.itemKind
        || parts.size() != other.parts.size()) {
      return false;
    }
    for (int k = 0; k < parts.size(); k++) {
      if (!java.util.Arrays.equals(parts.get(k), other.parts.get(k))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 31 * txnKind.hashCode() + itemKind.hashCode();
    for (byte[] p : parts) {
      h = 31 * h + java.util.Arrays.hashCode(p);
    }
    return h;
  }

  @Override
  public String toString() {
    return "GroupEventParts{parts="
        + parts.size()
        + ", pairs="
        + nPairs
        + ", bytes="
        + encodedBytes
        + "}";
  }

  /** A byte stream whose contents are taken without a second copy when exactly full. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes() {
      super(1 << 12);
    }

    byte[] exact() {
      return count == buf.length ? buf : toByteArray();
    }
  }

  // ------------------------------------------------------------------------------------------

  /** The coder of {@code GroupEventParts}. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /**
   * Encodes a {@link GroupEventParts} as:
   *
   * <pre>
   * txnKind     1 byte: 0 = INTEGER keys, 1 = STRING keys
   * itemKind    1 byte, the same
   * nParts      VarInt, then per part: VarInt pair count, VarInt byte length, the part's bytes
   *             (a GroupEvents.Coder encoding)
   * </pre>
   *
   * Deterministic, and consistent with {@link GroupEventParts#equals}. A part's content is checked
   * when it is decoded by {@link GroupEventParts#toBaskets()}.
   */
  public static final class Coder extends StatelessCoder<GroupEventParts> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(GroupEventParts value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupEventParts");
      }
      KeyDictionary.encodeKind(value.txnKind, out);
      KeyDictionary.encodeKind(value.itemKind, out);
      VarInt.encode(value.parts.size(), out);
      for (int k = 0; k < value.parts.size(); k++) {
        byte[] p = value.parts.get(k);
        VarInt.encode(value.partPairs[k], out);
        VarInt.encode(p.length, out);
        out.write(p);
      }
    }

    @Override
    public GroupEventParts decode(InputStream in) throws IOException {
      KeyKind txnKind = KeyDictionary.decodeKind(in);
      KeyKind itemKind = KeyDictionary.decodeKind(in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("corrupt GroupEventParts: nParts " + n);
      }
      GroupEventParts acc = new GroupEventParts(txnKind, itemKind, new ArrayList<>(n));
      for (int k = 0; k < n; k++) {
        int pairs = VarInt.decodeInt(in);
        int len = VarInt.decodeInt(in);
        if (pairs < 1) {
          throw new CoderException(
              "corrupt GroupEventParts: part " + k + " of " + pairs + " pairs");
        }
        if (len < 2) {
          throw new CoderException("corrupt GroupEventParts: part " + k + " of " + len + " bytes");
        }
        byte[] p = in.readNBytes(len);
        if (p.length != len) {
          throw new CoderException(
              "corrupt GroupEventParts: part " + k + " ends after " + p.length + " of " + len);
        }
        acc.append(p, pairs);
      }
      return acc;
    }

    @Override
    public boolean isRegisterByteSizeObserverCheap(GroupEventParts value) {
      return true;
    }

    /** The exact encoded size, computed without encoding. */
    @Override
    protected long getEncodedElementByteSize(GroupEventParts value) throws Exception {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupEventParts");
      }
      long bytes = 2 + VarInt.getLength(value.parts.size());
      for (int k = 0; k < value.parts.size(); k++) {
        int len = value.parts.get(k).length;
        bytes += VarInt.getLength(value.partPairs[k]) + VarInt.getLength(len) + len;
      }
      return bytes;
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }

  /** Decodes one part (E1), checked by its coder. */
  static GroupEvents decodePart(byte[] part) {
    try (InputStream in = new ByteArrayInputStream(part)) {
      return GroupEvents.coder().decode(in);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt GroupEventParts part: " + e.getMessage(), e);
    }
  }
}
