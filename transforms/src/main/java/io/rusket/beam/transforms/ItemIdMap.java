package io.rusket.beam.transforms;

import java.util.Arrays;

/**
 * A map from item ids to long values, by primitive open addressing (linear probing, at most half
 * full): the sparse side of MineStream's item counts and rank tables, for ids too large to index
 * an array by ({@link #DENSE_IDS} and beyond). No boxing; {@code -1} marks an empty slot, which
 * no item id is.
 */
final class ItemIdMap {
  /**
   * Ids below this bound are counted in plain arrays (sized by the largest such id seen, at most 8
   * MiB of longs); ids from it on go to an {@code ItemIdMap}.
   */
  static final int DENSE_IDS = 1 << 20;

  private static final int EMPTY = -1;
  private int[] keys;
  private long[] values;
  private int size;

  ItemIdMap() {
    keys = new int[16];
    Arrays.fill(keys, EMPTY);
    values = new long[16];
  }

  int size() {
    return size;
  }

  private int slot(int id) {
    int h = id * 0x9E3779B9; // Fibonacci hashing: ids in runs spread over the table
    return (h ^ (h >>> 16)) & (keys.length - 1);
  }

  /** Adds {@code delta} to the value of {@code id} (0 if absent). */
  void addTo(int id, long delta) {
    assert id >= 0 : "id=" + id;
    int[] k = keys;
    int mask = k.length - 1;
    for (int i = slot(id); ; i = (i + 1) & mask) {
      if (k[i] == id) {
        values[i] += delta;
        return;
      }
      if (k[i] == EMPTY) {
        k[i] = id;
        values[i] = delta;
        if (++size * 2L > k.length) {
          rehash();
        }
        return;
      }
    }
  }

  /** The value of {@code id}, or {@code missing}. */
  long get(int id, long missing) {
    int[] k = keys;
    int mask = k.length - 1;
    for (int i = slot(id); ; i = (i + 1) & mask) {
      if (k[i] == id) {
        return values[i];
      }
      if (k[i] == EMPTY) {
        return missing;
      }
    }
  }

  private void rehash() {
    int[] oldKeys = keys;
    long[] oldValues = values;
    if (oldKeys.length >= 1 << 30) {
      throw new IllegalStateException(
          "MineStream: more than " + size + " distinct item ids in one window");
    }
    int cap = 2 * oldKeys.length;
    keys = new int[cap];
    Arrays.fill(keys, EMPTY);
    values = new long[cap];
    int mask = cap - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      int id = oldKeys[j];
      if (id != EMPTY) {
        int i = slot(id);
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = id;
        values[i] = oldValues[j];
      }
    }
  }

  /** The ids held, ascending. */
  int[] sortedIds() {
    int[] ids = new int[size];
    int n = 0;
    for (int id : keys) {
      if (id != EMPTY) {
        ids[n++] = id;
      }
    }
    Arrays.sort(ids);
    return ids;
  }
}
