package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import java.util.Collection;

/**
 * Scores baskets against one {@link RuleIndex}: for a basket, every rule whose antecedent is in the
 * basket is found through the index (R3), each consequent item not in the basket becomes a
 * candidate, supported by its best rule, and the top k candidates are selected with a bounded heap.
 * Scratch arrays are sized by the index's items once and reused for every basket (marks by basket
 * epoch, so nothing is cleared between baskets); no allocation or boxing per basket item or rule.
 *
 * <p>Order of rules for one item (its supporting rule): score, then lift, then support, then
 * confidence, all descending, then the rule order of R2 (antecedent as ascending item names, a
 * shorter prefix first, then consequent). Order of items: their supporting rules' score, lift and
 * support, descending, then item name ascending. Not thread-safe: one per DoFn call.
 */
final class BasketScorer {
  private final RuleIndex x;

  /** Epoch at which each item was last marked as in the basket. */
  private final int[] inBasket;

  /** Epoch at which each item last became a candidate. */
  private final int[] candidate;

  /** For a candidate item: its best rule so far. */
  private final int[] best;

  /** The candidate items of the basket, each once: at most every item. */
  private final int[] touched;

  private int nTouched;
  private int[] basket = new int[16];
  private int[] heap = new int[16];
  private int epoch;

  /** Rules matched by the last basket (for the metrics). */
  int lastMatched;

  BasketScorer(RuleIndex x) {
    this.x = x;
    int n = x.nItems();
    this.inBasket = new int[n];
    this.candidate = new int[n];
    this.best = new int[n];
    this.touched = new int[n];
  }

  /**
   * Scores a basket of item names (repeats count once, items unknown to the rules are kept out of
   * the recommendations and match nothing) and returns the number {@code m <= k} of items
   * recommended; {@link #item(int)} and {@link #rule(int)} give them in rank order.
   */
  int score(String[] items, int k) {
    return score(java.util.Arrays.asList(items), k);
  }

  /**
   * As {@link #score(String[], int)}, the items read once from {@code items}.
   *
   * @return the number of items recommended, or -1 (nothing scored) if an item is null
   */
  int score(Collection<String> items, int k) {
    if (++epoch == Integer.MAX_VALUE) {
      java.util.Arrays.fill(inBasket, 0);
      java.util.Arrays.fill(candidate, 0);
      epoch = 1;
    }
    final int e = epoch;
    final int[] in = inBasket;
    basket = ArrayUtil.grow(basket, items.size());
    int nb = 0;
    for (String s : items) {
      if (s == null) {
        return -1;
      }
      int id = x.items.find(s);
      if (id >= 0 && in[id] != e) {
        in[id] = e;
        basket[nb++] = id;
      }
    }
    return match(nb, e, k);
  }

  /** Matches the rules against the {@code nb} items of {@code basket} marked at epoch {@code e}. */
  private int match(int nb, int e, int k) {
    final int[] in = inBasket;
    nTouched = 0;
    lastMatched = 0;
    final int[] antOff = x.antOff;
    final int[] ants = x.ants;
    for (int r : x.always) {
      consider(r, e);
    }
    final int[] keyOff = x.keyOff;
    final int[] byKey = x.byKey;
    for (int b = 0; b < nb; b++) {
      int item = basket[b];
      for (int p = keyOff[item], end = keyOff[item + 1]; p < end; p++) {
        int r = byKey[p];
        boolean match = true;
        for (int j = antOff[r], je = antOff[r + 1]; j < je; j++) {
          if (in[ants[j]] != e) {
            match = false;
            break;
          }
        }
        if (match) {
          consider(r, e);
        }
      }
    }
    return select(k);
  }

  private void consider(int r, int e) {
    lastMatched++;
    final int[] in = inBasket;
    for (int j = x.conOff[r], je = x.conOff[r + 1]; j < je; j++) {
      int c = x.cons[j];
      if (in[c] == e) {
        continue;
      }
      if (candidate[c] != e) {
        candidate[c] = e;
        best[c] = r;
        touched[nTouched++] = c;
      } else if (betterRule(r, best[c])) {
        best[c] = r;
      }
    }
  }

  private boolean betterRule(int r, int s) {
    int d = Double.compare(x.score[r], x.score[s]);
    if (d == 0) {
      d = Double.compare(x.lift[r], x.lift[s]);
    }
    if (d == 0) {
      d = Double.compare(x.support[r], x.support[s]);
    }
    if (d == 0) {
      d = Double.compare(x.confidence[r], x.confidence[s]);
    }
    return d > 0 || (d == 0 && r < s);
  }

  /** True if candidate item {@code a} ranks before {@code b}. */
  private boolean before(int a, int b) {
    int ra = best[a];
    int rb = best[b];
    int d = Double.compare(x.score[ra], x.score[rb]);
    if (d == 0) {
      d = Double.compare(x.lift[ra], x.lift[rb]);
    }
    if (d == 0) {
      d = Double.compare(x.support[ra], x.support[rb]);
    }
    return d > 0 || (d == 0 && a < b);
  }

  /**
   * Keeps the best {@code k} candidates in a heap whose root is the worst kept, then writes them
   * into {@code heap[0, m)} in rank order.
   */
  private int select(int k) {
    int m = Math.min(k, nTouched);
    heap = ArrayUtil.grow(heap, m);
    int size = 0;
    for (int t = 0; t < nTouched; t++) {
      int c = touched[t];
      if (size < m) {
        int i = size++;
        heap[i] = c;
        while (i > 0) { // sift up: the worse goes to the root
          int parent = (i - 1) >>> 1;
          if (before(heap[parent], heap[i])) {
            int tmp = heap[parent];
            heap[parent] = heap[i];
            heap[i] = tmp;
            i = parent;
          } else {
            break;
          }
        }
      } else if (m > 0 && before(c, heap[0])) {
        heap[0] = c;
        siftDown(0, size);
      }
    }
    // Pop the worst to the end, repeatedly: heap[0, m) ends in rank order.
    for (int end = size - 1; end > 0; end--) {
      int tmp = heap[0];
      heap[0] = heap[end];
      heap[end] = tmp;
      siftDown(0, end);
    }
    return m;
  }

  private void siftDown(int i, int size) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int worst = l;
      int rr = l + 1;
      if (rr < size && before(heap[l], heap[rr])) {
        worst = rr;
      }
      if (before(heap[i], heap[worst])) {
        int tmp = heap[i];
        heap[i] = heap[worst];
        heap[worst] = tmp;
        i = worst;
      } else {
        return;
      }
    }
  }

  /** The item of rank {@code i} (0-based) of the last basket. */
  int item(int i) {
    return heap[i];
  }

  /** The supporting rule of the item of rank {@code i} of the last basket. */
  int rule(int i) {
    return best[heap[i]];
  }
}
