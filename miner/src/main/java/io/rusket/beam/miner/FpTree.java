package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * An array-backed FP-tree (Han, Pei and Yin 2000): one node per distinct transaction prefix, stored
 * in parallel {@code int[]} arrays and reused across conditional trees of one depth.
 *
 * <p>Invariants: node 0 is the root (item -1); a child's item is greater than its parent's (items
 * are ranks, most frequent first, so every path is ascending); {@code head[i]} starts the linked
 * list (through {@code link}) of all nodes of item {@code i}; {@code support[i]} is the sum of
 * their counts; {@code globalId[i]} maps the tree's item back to the database's item id.
 */
final class FpTree {
  static final int ROOT = 0;
  static final int NONE = -1;

  int nItems;

  int size;
  int[] item = new int[64];
  int[] count = new int[64];
  int[] parent = new int[64];
  int[] firstChild = new int[64];
  int[] nextSibling = new int[64];
  int[] link = new int[64];

  int[] head = new int[16];
  int[] support = new int[16];
  int[] globalId = new int[16];

  /** Root children indexed by item, so a wide root needs no sibling scan. */
  int[] rootChild = new int[16];

  /** True once some node has two children: the tree is not a single path. */
  boolean branching;

  /** Empties the tree for {@code nItems} items, keeping the allocated arrays. */
  void reset(int nItems) {
    this.nItems = nItems;
    if (head.length < nItems) {
      int cap = ArrayUtil.grow(head.length, nItems);
      head = new int[cap];
      support = new int[cap];
      globalId = new int[cap];
      rootChild = new int[cap];
    }
    Arrays.fill(head, 0, nItems, NONE);
    Arrays.fill(rootChild, 0, nItems, NONE);
    size = 1;
    item[ROOT] = NONE;
    count[ROOT] = 0;
    parent[ROOT] = NONE;
    firstChild[ROOT] = NONE;
    nextSibling[ROOT] = NONE;
    link[ROOT] = NONE;
    branching = false;
  }

  void ensureNodes(long more) {
    if (size + more > item.length) {
      int cap = ArrayUtil.grow(item.length, size + more);
      item = Arrays.copyOf(item, cap);
      count = Arrays.copyOf(count, cap);
      parent = Arrays.copyOf(parent, cap);
      firstChild = Arrays.copyOf(firstChild, cap);
      nextSibling = Arrays.copyOf(nextSibling, cap);
      link = Arrays.copyOf(link, cap);
    }
  }

  int newNode(int it, int par) {
    int id = size++;
    item[id] = it;
    count[id] = 0;
    parent[id] = par;
    firstChild[id] = NONE;
    int sib = firstChild[par];
    if (sib != NONE) {
      branching = true;
    }
    nextSibling[id] = sib;
    firstChild[par] = id;
    link[id] = head[it];
    head[it] = id;
    return id;
  }

  /**
   * Adds a path with weight {@code c}. The path's items are {@code path[len-1], ..., path[0]} from
   * the root down (the caller collected them walking up a parent tree), ascending.
   */
  void insertReversed(int[] path, int len, int c) {
    ensureNodes(len);
    final int[] item = this.item;
    final int[] count = this.count;
    final int[] nextSibling = this.nextSibling;
    final int[] firstChild = this.firstChild;
    int node = ROOT;
    for (int k = len - 1; k >= 0; k--) {
      int it = path[k];
      int child;
      if (node == ROOT) {
        child = rootChild[it];
        if (child == NONE) {
          child = newNode(it, ROOT);
          rootChild[it] = child;
        }
      } else {
        child = firstChild[node];
        while (child != NONE && item[child] != it) {
          child = nextSibling[child];
        }
        if (child == NONE) {
          child = newNode(it, node);
        }
      }
      count[child] += c;
      node = child;
    }
  }

  /** Adds a path with weight {@code c}; its items are {@code path[0 .. len)}, ascending. */
  void insertForward(int[] path, int len, int c) {
    ensureNodes(len);
    final int[] item = this.item;
    final int[] count = this.count;
    final int[] nextSibling = this.nextSibling;
    final int[] firstChild = this.firstChild;
    int it = path[0];
    int node = rootChild[it];
    if (node == NONE) {
      node = newNode(it, ROOT);
      rootChild[it] = node;
    }
    count[node] += c;
    for (int k = 1; k < len; k++) {
      it = path[k];
      int child = firstChild[node];
      while (child != NONE && item[child] != it) {
        child = nextSibling[child];
      }
      if (child == NONE) {
        child = newNode(it, node);
      }
      count[child] += c;
      node = child;
    }
  }

  /** Approximate heap footprint in bytes. */
  long ramBytesUsed() {
    return RamUsage.SMALL_OBJECT
        + RamUsage.sizeOf(item)
        + RamUsage.sizeOf(count)
        + RamUsage.sizeOf(parent)
        + RamUsage.sizeOf(firstChild)
        + RamUsage.sizeOf(nextSibling)
        + RamUsage.sizeOf(link)
        + RamUsage.sizeOf(head)
        + RamUsage.sizeOf(support)
        + RamUsage.sizeOf(globalId)
        + RamUsage.sizeOf(rootChild);
  }
}
