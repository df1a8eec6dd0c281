package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * FP-Growth (Han, Pei and Yin, "Mining frequent patterns without candidate generation", SIGMOD
 * 2000) on array-backed trees.
 *
 * <p>Items are recoded once to dense ranks by descending frequency (ties by item id); the
 * transactions become paths of the global {@link FpTree}. Each frequent item's conditional
 * pattern base is projected into a conditional tree kept in per-depth scratch arrays, keeping
 * the global item order (so collected paths need no sorting). Two reductions keep dense data
 * cheap: items present in every transaction of a conditional base (perfect extensions, Borgelt
 * 2005) leave the tree and are combined with every itemset found below; and a conditional tree
 * that is a single path is enumerated without further projection. The first-level projections
 * run in parallel (see {@link OrderedTasks}).
 */
final class FpGrowth {
  private final TransactionDb db;
  private final int minCount;
  private final int maxLen;
  private final int threads;

  FpGrowth(TransactionDb db, int minCount, int maxLen, int threads) {
    this.db = db;
    this.minCount = minCount;
    this.maxLen = maxLen;
    this.threads = threads;
  }

  long run(ItemsetSink sink) {
    Recoding rec = Recoding.byDescendingFrequency(db, minCount);
    if (rec.nFrequent == 0) {
      return 0;
    }
    FpTree tree = buildGlobalTree(rec);
    final int nTasks = rec.nFrequent;
    // Task t mines the item of rank t; ascending ranks.
    return OrderedTasks.run(
        nTasks, threads, () -> new Worker(tree, minCount, maxLen), sink);
  }

  /** Inserts every transaction's frequent items, as ascending ranks, into one tree. */
  private FpTree buildGlobalTree(Recoding rec) {
    final int[] offsets = db.rawOffsets();
    final int[] items = db.rawItems();
    final int[] rank = rec.idToRank;
    final int n = db.size();
    FpTree tree = new FpTree();
    tree.reset(rec.nFrequent);
    for (int r = 0; r < rec.nFrequent; r++) {
      tree.globalId[r] = rec.rankToId[r];
      tree.support[r] = rec.rankCount[r];
    }
    ChildMap children = new ChildMap(1 << 12);
    int[] path = new int[16];
    for (int t = 0; t < n; t++) {
      int len = 0;
      int from = offsets[t];
      int to = offsets[t + 1];
      if (path.length < to - from) {
        path = new int[to - from];
      }
      for (int k = from; k < to; k++) {
        int r = rank[items[k]];
        if (r >= 0) {
          // insertion sort, ascending
          int j = len - 1;
          while (j >= 0 && path[j] > r) {
            path[j + 1] = path[j];
            j--;
          }
          path[j + 1] = r;
          len++;
        }
      }
      if (len == 0) {
        continue;
      }
      tree.ensureNodes(len);
      int node = FpTree.ROOT;
      for (int k = 0; k < len; k++) {
        int it = path[k];
        int child = children.get(node, it);
        if (child == FpTree.NONE) {
          child = tree.newNode(it, node);
          children.put(node, it, child);
        }
        tree.count[child]++;
        node = child;
      }
    }
    return tree;
  }

  /** Mines first-level projections of a shared, read-only global tree. */
  private static final class Worker extends PatternEmitter {
    private final FpTree global;
    private final int minCount;

    /** Conditional trees, one per depth, reused. */
    private FpTree[] levels = new FpTree[8];
    /** Per-depth scratch: conditional counts and old-to-new item maps. */
    private int[][] counts = new int[8][];
    private int[][] newIds = new int[8][];
    private int[] path = new int[32];

    Worker(FpTree global, int minCount, int maxLen) {
      super(maxLen);
      this.global = global;
      this.minCount = minCount;
    }

    @Override
    void mineTask(int task) {
      prefix[0] = global.globalId[task];
      project(global, task, 0, 1);
    }

    /**
     * The current itemset is {@code prefix[0, plen)}, whose last item is item {@code i} of tree
     * {@code t}, at depth {@code d}. Finds its perfect extensions, emits it with them, builds
     * the conditional tree of {@code i} and mines it.
     */
    private void project(FpTree t, int i, int d, int plen) {
      final int supp = t.support[i];
      if (plen >= maxLen || i == 0) {
        emitWithExtensions(plen, supp);
        return;
      }
      final int peMark = peLen;
      if (d + 1 >= counts.length) {
        counts = Arrays.copyOf(counts, d * 2 + 2);
        newIds = Arrays.copyOf(newIds, d * 2 + 2);
      }
      final int[] cnt = scratch(counts, d, i);
      final int[] nid = scratch(newIds, d, i);
      Arrays.fill(cnt, 0, i, 0);
      final int[] parent = t.parent;
      final int[] item = t.item;
      final int[] count = t.count;
      final int[] link = t.link;
      for (int n = t.head[i]; n != FpTree.NONE; n = link[n]) {
        final int c = count[n];
        for (int p = parent[n]; p != FpTree.ROOT; p = parent[p]) {
          cnt[item[p]] += c;
        }
      }
      int m = 0;
      for (int j = 0; j < i; j++) {
        int cj = cnt[j];
        if (cj < minCount) {
          nid[j] = FpTree.NONE;
        } else if (cj == supp) {
          pushPe(t.globalId[j]);
          nid[j] = FpTree.NONE;
        } else {
          nid[j] = m++;
        }
      }
      emitWithExtensions(plen, supp);
      if (m > 0) {
        ensurePrefix(plen + 1);
        if (plen + 1 == maxLen) {
          // Only one more item fits: the counts are the answer, no tree needed.
          for (int j = 0; j < i; j++) {
            if (nid[j] != FpTree.NONE) {
              prefix[plen] = t.globalId[j];
              emitWithExtensions(plen + 1, cnt[j]);
            }
          }
        } else {
          FpTree c = level(d + 1);
          c.reset(m);
          for (int j = 0; j < i; j++) {
            int k = nid[j];
            if (k != FpTree.NONE) {
              c.globalId[k] = t.globalId[j];
              c.support[k] = cnt[j];
            }
          }
          int[] pathBuf = path;
          for (int n = t.head[i]; n != FpTree.NONE; n = link[n]) {
            int len = 0;
            for (int p = parent[n]; p != FpTree.ROOT; p = parent[p]) {
              int k = nid[item[p]];
              if (k != FpTree.NONE) {
                if (len == pathBuf.length) {
                  pathBuf = path = Arrays.copyOf(pathBuf, len * 2);
                }
                pathBuf[len++] = k;
              }
            }
            if (len > 0) {
              c.insertReversed(pathBuf, len, count[n]);
            }
          }
          if (!c.branching) {
            emitSinglePath(c, plen);
          } else {
            for (int k = m - 1; k >= 0; k--) {
              prefix[plen] = c.globalId[k];
              project(c, k, d + 1, plen + 1);
            }
          }
        }
      }
      peLen = peMark;
    }

    /**
     * A single-path tree: a subset's count is the count of its deepest node. Each node is
     * emitted with every subset of the nodes above it (and of the perfect extensions).
     */
    private void emitSinglePath(FpTree c, int plen) {
      // In a single path, nodes 1 .. size-1 were created from the root down.
      final int peMark = peLen;
      for (int n = 1; n < c.size; n++) {
        int g = c.globalId[c.item[n]];
        prefix[plen] = g;
        emitWithExtensions(plen + 1, c.count[n]);
        pushPe(g);
      }
      peLen = peMark;
    }

    private FpTree level(int d) {
      if (d >= levels.length) {
        levels = Arrays.copyOf(levels, d * 2);
      }
      FpTree t = levels[d];
      if (t == null) {
        t = levels[d] = new FpTree();
      }
      return t;
    }
  }

  /** Open-addressing map from (parent node, item) to child node, for the wide global tree. */
  private static final class ChildMap {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    ChildMap(int capacity) {
      int cap = Integer.highestOneBit(Math.max(capacity, 16) - 1) << 1;
      keys = new long[cap];
      values = new int[cap];
      Arrays.fill(keys, -1L);
      mask = cap - 1;
    }

    private static int hash(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }

    int get(int node, int item) {
      long key = ((long) node << 32) | item;
      for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
        long k = keys[i];
        if (k == key) {
          return values[i];
        }
        if (k == -1L) {
          return FpTree.NONE;
        }
      }
    }

    void put(int node, int item, int child) {
      if ((size + 1) * 2 > keys.length) {
        rehash();
      }
      long key = ((long) node << 32) | item;
      int i = hash(key) & mask;
      while (keys[i] != -1L) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = child;
      size++;
    }

    private void rehash() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      int cap = ArrayUtil.grow(keys.length, keys.length * 2L);
      cap = Integer.highestOneBit(cap - 1) << 1;
      keys = new long[cap];
      values = new int[cap];
      Arrays.fill(keys, -1L);
      mask = cap - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != -1L) {
          int i = hash(oldKeys[j]) & mask;
          while (keys[i] != -1L) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          values[i] = oldValues[j];
        }
      }
    }
  }
}
