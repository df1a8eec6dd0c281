package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One group's rules, indexed by antecedent for {@link Recommend}: the rules that match a basket
 * (antecedent ⊆ basket) are found without scanning all of them.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>R1</b> items have dense ids in ascending order of their names ({@link #items}); ties
 *       between items "by name" are ties by id.
 *   <li><b>R2</b> rule {@code r}'s antecedent is {@code ants[antOff[r] .. antOff[r+1])} and its
 *       consequent {@code cons[conOff[r] .. conOff[r+1])}, ids strictly ascending; rules are sorted
 *       by (antecedent, consequent) compared as id sequences, and no two are equal, so a rule's
 *       index is a deterministic last tie-break.
 *   <li><b>R3</b> each rule with a non-empty antecedent is listed once, under its <em>key
 *       item</em>: the antecedent item of least known support (from the rules' own {@code
 *       antecedent_support} / {@code consequent_support} of one-item sides; unknown counts as
 *       frequent), ties by smallest id. {@code byKey[keyOff[i] .. keyOff[i+1])} are the rules keyed
 *       by item {@code i}; rules with an empty antecedent are in {@link #always}. A basket visits
 *       only the rules keyed by its own items, each once, and checks the rest of the antecedent
 *       against a mark per item.
 * </ul>
 */
final class RuleIndex {
  final KeyDictionary items;
  final int nRules;
  final int[] antOff;
  final int[] ants;
  final int[] conOff;
  final int[] cons;
  final double[] score;
  final double[] lift;
  final double[] support;
  final double[] confidence;

  /** R3: each rule's key item, -1 for an empty antecedent. */
  final int[] keyItem;

  final int[] keyOff;
  final int[] byKey;
  final int[] always;

  RuleIndex(
      KeyDictionary items,
      int nRules,
      int[] antOff,
      int[] ants,
      int[] conOff,
      int[] cons,
      double[] score,
      double[] lift,
      double[] support,
      double[] confidence,
      int[] keyItem) {
    this.items = items;
    this.nRules = nRules;
    this.antOff = antOff;
    this.ants = ants;
    this.conOff = conOff;
    this.cons = cons;
    this.score = score;
    this.lift = lift;
    this.support = support;
    this.confidence = confidence;
    this.keyItem = keyItem;
    int n = items.size();
    int[] off = new int[n + 1];
    int nAlways = 0;
    for (int r = 0; r < nRules; r++) {
      if (keyItem[r] < 0) {
        nAlways++;
      } else {
        off[keyItem[r] + 1]++;
      }
    }
    for (int i = 0; i < n; i++) {
      off[i + 1] += off[i];
    }
    int[] pos = Arrays.copyOf(off, n);
    int[] list = new int[nRules - nAlways];
    int[] alw = new int[nAlways];
    int a = 0;
    for (int r = 0; r < nRules; r++) {
      if (keyItem[r] < 0) {
        alw[a++] = r;
      } else {
        list[pos[keyItem[r]]++] = r;
      }
    }
    this.keyOff = off;
    this.byKey = list;
    this.always = alw;
    // Builds the dictionary's lookup table now: find() would build it lazily, and a side input's
    // index is read by several threads at once.
    items.find("");
  }

  int nItems() {
    return items.size();
  }

  String name(int id) {
    return items.stringKey(id);
  }

  /** The antecedent names of rule {@code r}, ascending. */
  String[] antecedentNames(int r) {
    String[] s = new String[antOff[r + 1] - antOff[r]];
    for (int j = 0; j < s.length; j++) {
      s[j] = items.stringKey(ants[antOff[r] + j]);
    }
    return s;
  }

  /** Approximate heap footprint in bytes. */
  long ramBytesUsed() {
    return items.ramBytesUsed()
        + RamUsage.sizeOf(antOff)
        + RamUsage.sizeOf(ants)
        + RamUsage.sizeOf(conOff)
        + RamUsage.sizeOf(cons)
        + 4 * RamUsage.sizeOf(score)
        + RamUsage.sizeOf(keyItem)
        + RamUsage.sizeOf(keyOff)
        + RamUsage.sizeOf(byKey)
        + RamUsage.sizeOf(always);
  }

  // ------------------------------------------------------------------------------------------
  // Building

  /** Collects one group's rules as names, then builds the index (sorting, ids, keys). */
  static final class Builder {
    private final String where;
    private String[][] antNames = new String[16][];
    private String[][] conNames = new String[16][];
    private double[] vals = new double[16 * 6];
    private int n;

    /**
     * @param where "group store_id=7" or "the global rules", for messages
     */
    Builder(String where) {
      this.where = where;
    }

    /**
     * Adds a rule. {@code antecedentSupport} / {@code consequentSupport} may be NaN (unknown).
     *
     * @throws IllegalArgumentException for a null or repeated item, an empty consequent, an item on
     *     both sides, or a NaN score, lift, support or confidence, naming the rule and the group
     */
    void add(
        String[] antecedent,
        String[] consequent,
        double score,
        double lift,
        double support,
        double confidence,
        double antecedentSupport,
        double consequentSupport) {
      String rule = Arrays.toString(antecedent) + " -> " + Arrays.toString(consequent);
      if (consequent.length == 0) {
        throw bad(rule, "its consequent is empty");
      }
      checkItems(antecedent, rule, "antecedent");
      checkItems(consequent, rule, "consequent");
      for (String a : antecedent) {
        for (String c : consequent) {
          if (a.equals(c)) {
            throw bad(rule, "item '" + a + "' is on both sides");
          }
        }
      }
      checkValue(score, "score", rule);
      checkValue(lift, "lift", rule);
      checkValue(support, "support", rule);
      checkValue(confidence, "confidence", rule);
      antNames = ArrayUtil.grow(antNames, n + 1L);
      conNames = ArrayUtil.grow(conNames, n + 1L);
      if (vals.length < 6 * (n + 1L)) {
        vals = Arrays.copyOf(vals, ArrayUtil.grow(vals.length / 6, n + 1L) * 6);
      }
      antNames[n] = antecedent;
      conNames[n] = consequent;
      int v = 6 * n;
      vals[v] = score;
      vals[v + 1] = lift;
      vals[v + 2] = support;
      vals[v + 3] = confidence;
      vals[v + 4] = antecedentSupport;
      vals[v + 5] = consequentSupport;
      n++;
    }

    private void checkItems(String[] side, String rule, String role) {
      for (int i = 0; i < side.length; i++) {
        if (side[i] == null) {
          throw bad(rule, "its " + role + " holds a null item");
        }
        for (int j = 0; j < i; j++) {
          if (side[i].equals(side[j])) {
            throw bad(rule, "item '" + side[i] + "' is listed twice in its " + role);
          }
        }
      }
    }

    private void checkValue(double v, String name, String rule) {
      if (Double.isNaN(v)) {
        throw bad(rule, "its " + name + " is NaN");
      }
    }

    private IllegalArgumentException bad(String rule, String why) {
      return new IllegalArgumentException(
          "Recommend: invalid rule " + rule + " in " + where + ": " + why);
    }

    RuleIndex build() {
      // R1: distinct names, ascending.
      int total = 0;
      for (int r = 0; r < n; r++) {
        total += antNames[r].length + conNames[r].length;
      }
      String[] all = new String[total];
      int t = 0;
      for (int r = 0; r < n; r++) {
        for (String s : antNames[r]) {
          all[t++] = s;
        }
        for (String s : conNames[r]) {
          all[t++] = s;
        }
      }
      Arrays.sort(all);
      int distinct = 0;
      for (int i = 0; i < total; i++) {
        if (distinct == 0 || !all[i].equals(all[distinct - 1])) {
          all[distinct++] = all[i];
        }
      }
      KeyDictionary dict = KeyDictionary.wrapStrings(Arrays.copyOf(all, distinct), distinct);
      int[][] a = new int[n][];
      int[][] c = new int[n][];
      for (int r = 0; r < n; r++) {
        a[r] = ids(dict, antNames[r]);
        c[r] = ids(dict, conNames[r]);
      }
      // Item supports from one-item sides, for the key items (R3).
      double[] itemSupport = new double[distinct];
      Arrays.fill(itemSupport, Double.POSITIVE_INFINITY);
      for (int r = 0; r < n; r++) {
        double sa = vals[6 * r + 4];
        double sc = vals[6 * r + 5];
        if (a[r].length == 1 && !Double.isNaN(sa)) {
          itemSupport[a[r][0]] = Math.min(itemSupport[a[r][0]], sa);
        }
        if (c[r].length == 1 && !Double.isNaN(sc)) {
          itemSupport[c[r][0]] = Math.min(itemSupport[c[r][0]], sc);
        }
      }
      // R2: canonical order, no duplicates.
      int[] order = sortedRules(a, c);
      int[] antOff = new int[n + 1];
      int[] conOff = new int[n + 1];
      for (int i = 0; i < n; i++) {
        antOff[i + 1] = antOff[i] + a[order[i]].length;
        conOff[i + 1] = conOff[i] + c[order[i]].length;
      }
      int[] ants = new int[antOff[n]];
      int[] cons = new int[conOff[n]];
      double[] score = new double[n];
      double[] lift = new double[n];
      double[] support = new double[n];
      double[] confidence = new double[n];
      int[] key = new int[n];
      for (int i = 0; i < n; i++) {
        int r = order[i];
        if (i > 0 && compare(a[order[i - 1]], a[r]) == 0 && compare(c[order[i - 1]], c[r]) == 0) {
          throw bad(
              Arrays.toString(antNames[r]) + " -> " + Arrays.toString(conNames[r]),
              "the rule is listed twice");
        }
        System.arraycopy(a[r], 0, ants, antOff[i], a[r].length);
        System.arraycopy(c[r], 0, cons, conOff[i], c[r].length);
        score[i] = vals[6 * r];
        lift[i] = vals[6 * r + 1];
        support[i] = vals[6 * r + 2];
        confidence[i] = vals[6 * r + 3];
        int k = -1;
        for (int item : a[r]) {
          if (k < 0 || itemSupport[item] < itemSupport[k]) {
            k = item;
          }
        }
        key[i] = k;
      }
      return new RuleIndex(
          dict, n, antOff, ants, conOff, cons, score, lift, support, confidence, key);
    }

    private static int[] ids(KeyDictionary dict, String[] names) {
      int[] ids = new int[names.length];
      for (int i = 0; i < names.length; i++) {
        ids[i] = dict.find(names[i]);
      }
      Arrays.sort(ids);
      return ids;
    }

    private int[] sortedRules(int[][] a, int[][] c) {
      Integer[] boxed = new Integer[n]; // once per group at build time, not per basket
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(
          boxed,
          (x, y) -> {
            int d = compare(a[x], a[y]);
            return d != 0 ? d : compare(c[x], c[y]);
          });
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = boxed[i];
      }
      return order;
    }
  }

  /** Lexicographic order of id sequences, a prefix first. */
  static int compare(int[] x, int[] y) {
    int m = Math.min(x.length, y.length);
    for (int i = 0; i < m; i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    return Integer.compare(x.length, y.length);
  }

  // ------------------------------------------------------------------------------------------
  // Coder

  /**
   * Coder of a {@link RuleIndex}: the item names ({@link KeyDictionary#encode}), the number of
   * rules, then per rule its antecedent and consequent (length and ascending ids as deltas,
   * varints), its key item + 1 (varint) and its score, lift, support and confidence (8-byte
   * doubles). The per-item lists (R3) are rebuilt on decoding.
   */
  static final class Coder extends StatelessCoder<RuleIndex> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();

    static Coder of() {
      return INSTANCE;
    }

    /** A RuleIndex has no value equality. */
    @Override
    public boolean consistentWithEquals() {
      return false;
    }

    @Override
    public void encode(@Nullable RuleIndex x, OutputStream out) throws IOException {
      if (x == null) {
        throw new CoderException("Cannot encode a null RuleIndex");
      }
      x.items.encode(out);
      VarInt.encode(x.nRules, out);
      for (int r = 0; r < x.nRules; r++) {
        writeIds(x.ants, x.antOff[r], x.antOff[r + 1], out);
        writeIds(x.cons, x.conOff[r], x.conOff[r + 1], out);
        VarInt.encode(x.keyItem[r] + 1, out);
        DOUBLE.encode(x.score[r], out);
        DOUBLE.encode(x.lift[r], out);
        DOUBLE.encode(x.support[r], out);
        DOUBLE.encode(x.confidence[r], out);
      }
    }

    private static void writeIds(int[] ids, int from, int to, OutputStream out) throws IOException {
      VarInt.encode(to - from, out);
      int prev = -1;
      for (int i = from; i < to; i++) {
        VarInt.encode(ids[i] - prev, out);
        prev = ids[i];
      }
    }

    @Override
    public RuleIndex decode(InputStream in) throws IOException {
      KeyDictionary items = KeyDictionary.decode(KeyKind.STRING, in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("Negative number of rules: " + n);
      }
      int[] antOff = new int[n + 1];
      int[] conOff = new int[n + 1];
      int[] ants = new int[16];
      int[] cons = new int[16];
      double[] score = new double[n];
      double[] lift = new double[n];
      double[] support = new double[n];
      double[] confidence = new double[n];
      int[] key = new int[n];
      for (int r = 0; r < n; r++) {
        ants = readIds(ants, antOff, r, items.size(), in);
        cons = readIds(cons, conOff, r, items.size(), in);
        key[r] = VarInt.decodeInt(in) - 1;
        score[r] = DOUBLE.decode(in);
        lift[r] = DOUBLE.decode(in);
        support[r] = DOUBLE.decode(in);
        confidence[r] = DOUBLE.decode(in);
      }
      return new RuleIndex(
          items,
          n,
          antOff,
          Arrays.copyOf(ants, antOff[n]),
          conOff,
          Arrays.copyOf(cons, conOff[n]),
          score,
          lift,
          support,
          confidence,
          key);
    }

    private static int[] readIds(int[] ids, int[] off, int r, int nItems, InputStream in)
        throws IOException {
      int len = VarInt.decodeInt(in);
      if (len < 0) {
        throw new CoderException("Negative rule side length: " + len);
      }
      ids = ArrayUtil.grow(ids, (long) off[r] + len);
      int prev = -1;
      for (int i = 0; i < len; i++) {
        prev += VarInt.decodeInt(in);
        if (prev < 0 || prev >= nItems) {
          throw new CoderException("Item id " + prev + " outside [0, " + nItems + ")");
        }
        ids[off[r] + i] = prev;
      }
      off[r + 1] = off[r] + len;
      return ids;
    }
  }
}
