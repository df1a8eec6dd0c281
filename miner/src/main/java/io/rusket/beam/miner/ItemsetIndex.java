package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * An open-addressing hash from an itemset (its ascending item ids) to its index in an {@link
 * Itemsets}, built over the Itemsets' own compressed rows: the table holds only ints, and lookups
 * take a scratch array, so nothing is boxed or copied per lookup.
 *
 * <p>Invariants: {@code table.length} is a power of two at least twice the number of itemsets (load
 * factor at most 1/2, so linear probing always meets an empty slot); a slot holds {@code index + 1}
 * of an itemset, or 0 when empty; no two itemsets in the table have the same items.
 */
final class ItemsetIndex {
  /** Largest table: 2^30 slots, for up to 2^29 itemsets. */
  private static final int MAX_TABLE = 1 << 30;

  private final int[] offsets;
  private final int[] items;
  private final int[] table;
  private final int mask;

  private ItemsetIndex(int[] offsets, int[] items, int[] table) {
    this.offsets = offsets;
    this.items = items;
    this.table = table;
    this.mask = table.length - 1;
  }

  /**
   * Indexes every itemset of {@code itemsets}.
   *
   * @throws IllegalArgumentException if an itemset is not strictly ascending, or appears twice
   */
  static ItemsetIndex of(Itemsets itemsets) {
    final int size = itemsets.size();
    final int[] offsets = itemsets.rawOffsets();
    final int[] items = itemsets.rawItems();
    if (size > MAX_TABLE / 2) {
      throw new IllegalArgumentException(
          "Too many itemsets to index: " + size + ". The maximum is " + (MAX_TABLE / 2) + ".");
    }
    int capacity = Math.max(2, Integer.highestOneBit(Math.max(1, size) * 2 - 1) << 1);
    ItemsetIndex index = new ItemsetIndex(offsets, items, new int[capacity]);
    final int[] table = index.table;
    final int mask = index.mask;
    for (int i = 0; i < size; i++) {
      int from = offsets[i];
      int len = offsets[i + 1] - from;
      for (int k = from + 1; k < from + len; k++) {
        if (items[k] <= items[k - 1]) {
          throw new IllegalArgumentException(
              "Itemset "
                  + i
                  + " is not strictly ascending: "
                  + Arrays.toString(Arrays.copyOfRange(items, from, from + len))
                  + ". Items within an itemset must be distinct ascending ids.");
        }
      }
      int slot = hash(items, from, len) & mask;
      while (table[slot] != 0) {
        int other = table[slot] - 1;
        if (index.sameItems(other, items, from, len)) {
          throw new IllegalArgumentException(
              "Itemset "
                  + Arrays.toString(itemsets.names(i))
                  + " appears twice, at indices "
                  + other
                  + " and "
                  + i
                  + ". Each itemset must be listed once.");
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = i + 1;
    }
    return index;
  }

  /** The index of the itemset with exactly the items {@code key[0, len)} (ascending), or -1. */
  int find(int[] key, int len) {
    final int[] tab = table;
    int slot = hash(key, 0, len) & mask;
    int entry;
    while ((entry = tab[slot]) != 0) {
      if (sameItems(entry - 1, key, 0, len)) {
        return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Approximate heap footprint of the table, in bytes (the rows belong to the Itemsets). */
  long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER + 2 * RamUsage.REFERENCE + RamUsage.sizeOf(table);
  }

  private boolean sameItems(int itemset, int[] key, int keyFrom, int len) {
    final int from = offsets[itemset];
    if (offsets[itemset + 1] - from != len) {
      return false;
    }
    final int[] its = items;
    for (int k = 0; k < len; k++) {
      if (its[from + k] != key[keyFrom + k]) {
        return false;
      }
    }
    return true;
  }

  /** A well-mixed hash of {@code a[from, from+len)}: multiply-xor per item, murmur3 finalizer. */
  static int hash(int[] a, int from, int len) {
    int h = len;
    for (int k = from, end = from + len; k < end; k++) {
      h = (h ^ a[k]) * 0x9E3779B1;
      h = Integer.rotateLeft(h, 13);
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    h ^= h >>> 16;
    return h;
  }
}
