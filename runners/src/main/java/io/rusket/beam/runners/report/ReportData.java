package io.rusket.beam.runners.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rusket.beam.runners.report.ResultFiles.Itemset;
import io.rusket.beam.runners.report.ResultFiles.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The report's data, gathered one result row at a time: per group its transactions, itemsets (and
 * how many of each length), rules, the {@code topRules} strongest rules and the {@code topItems}
 * items of highest support; kept in bounded heaps, so the memory is that of what is shown, whatever
 * the number of rules. Then {@link #toJson} — the page's data block:
 *
 * <pre>{@code
 * {"version":1, "run":{...run-info.json...}, "source":{"dir":"out","itemsets":".jsonl",...},
 *  "limits":{"topRules":200,"topItems":15},
 *  "totals":{"groups":5,"transactions":8000,"itemsets":1234,"rules":567},
 *  "groupCol":"store_id",           // null for a global result (stream)
 *  "items":["bread","milk",...],     // the names the rules and items below refer to by index
 *  "groups":[{"key":"S1","transactions":3000,"itemsets":400,"rules":120,
 *             "lengths":[0,30,200,170],          // itemsets of length 0, 1, 2, 3 ...
 *             "topItems":[[item,count],...], "itemsNotShown":12,
 *             "topRules":[[[a...],[c...],support,confidence,lift],...],  // strongest first
 *             "rulesNotShown":20}, ...]}
 * }</pre>
 *
 * <p>The strongest rule has the highest lift, then confidence, then support, then comes first by
 * its text ({@link #STRONGEST}); a group's first rule is its strongest. A group's transactions are
 * those its itemset rows record (null when it has none: a group known only from its rules).
 */
final class ReportData {
  /** Data format of {@link #toJson}. */
  static final int VERSION = 1;

  /** Strongest first: lift, confidence, support descending, then the rule's text. */
  static final Comparator<Rule> STRONGEST =
      Comparator.comparingDouble(Rule::lift)
          .thenComparingDouble(Rule::confidence)
          .thenComparingDouble(Rule::support)
          .reversed()
          .thenComparing(ReportData::text);

  /** Highest count first, then the item's name. */
  private static final Comparator<Itemset> MOST_FREQUENT =
      Comparator.comparingLong(Itemset::count).reversed().thenComparing(i -> i.items()[0]);

  private final int topRules;
  private final int topItems;
  private final Map<String, Group> groups = new HashMap<>();
  private boolean global;
  private boolean grouped;

  ReportData(int topRules, int topItems) {
    if (topRules < 1 || topItems < 1) {
      throw new IllegalArgumentException(
          "Invalid top rules / items: " + topRules + " / " + topItems + ". Both must be >= 1.");
    }
    this.topRules = topRules;
    this.topItems = topItems;
  }

  /** The text of a rule, as the page shows it: {@code a + b -> c}. */
  static String text(Rule r) {
    return String.join(" + ", r.antecedents()) + " -> " + String.join(" + ", r.consequents());
  }

  private final class Group {
    final String key;
    @Nullable Long transactions;
    long itemsets;
    long rules;
    long singles;
    long[] lengths = new long[4];
    final PriorityQueue<Rule> strongest = new PriorityQueue<>(STRONGEST.reversed());
    final PriorityQueue<Itemset> frequent = new PriorityQueue<>(MOST_FREQUENT.reversed());

    Group(String key) {
      this.key = key;
    }
  }

  private Group group(@Nullable String key) {
    if (key == null) {
      global = true;
    } else {
      grouped = true;
    }
    if (global && grouped) {
      throw new IllegalArgumentException(
          "the result mixes rows with and without a group column: itemsets and rules of two runs?");
    }
    return groups.computeIfAbsent(key == null ? "" : key, Group::new);
  }

  void add(Itemset s) {
    Group g = group(s.group());
    g.itemsets++;
    int len = s.items().length;
    if (len >= g.lengths.length) {
      g.lengths = Arrays.copyOf(g.lengths, Math.max(len + 1, 2 * g.lengths.length));
    }
    g.lengths[len]++;
    if (g.transactions == null) {
      g.transactions = s.transactions();
    } else if (g.transactions != s.transactions()) {
      throw new IllegalArgumentException(
          "group "
              + (s.group() == null ? "(all)" : s.group())
              + ": itemset rows record "
              + g.transactions
              + " and "
              + s.transactions()
              + " transactions; one result directory holds one run");
    }
    if (len == 1) {
      g.singles++;
      offer(g.frequent, s, topItems, MOST_FREQUENT);
    }
  }

  void add(Rule r) {
    Group g = group(r.group());
    g.rules++;
    offer(g.strongest, r, topRules, STRONGEST);
  }

  /** Keeps the {@code k} first by {@code order} in {@code heap}, whose head is the last of them. */
  private static <T> void offer(PriorityQueue<T> heap, T t, int k, Comparator<T> order) {
    if (heap.size() < k) {
      heap.add(t);
    } else if (order.compare(t, heap.peek()) < 0) {
      heap.poll();
      heap.add(t);
    }
  }

  /** The groups, by key: numerically when every key is an integer, else as text. */
  private List<Group> sortedGroups() {
    List<Group> list = new ArrayList<>(groups.values());
    boolean numeric = list.stream().allMatch(g -> g.key.matches("-?\\d{1,18}"));
    list.sort(
        numeric
            ? Comparator.comparingLong(g -> Long.parseLong(g.key))
            : Comparator.comparing(g -> g.key));
    return list;
  }

  /** The data block, with {@code run} (null: not recorded) and where the results were read. */
  ObjectNode toJson(@Nullable RunInfo run, ObjectNode source, @Nullable String groupCol) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", VERSION);
    ObjectNode runNode = root.putObject("run");
    if (run != null) {
      run.fields().forEach((k, v) -> runNode.putPOJO(k, v));
    }
    root.set("source", source);
    root.putObject("limits").put("topRules", topRules).put("topItems", topItems);
    if (global) {
      root.putNull("groupCol");
    } else {
      root.put("groupCol", groupCol);
    }
    Map<String, Integer> index = new HashMap<>();
    ArrayNode items = f.arrayNode();
    ArrayNode groupsNode = f.arrayNode();
    long transactions = 0;
    long itemsets = 0;
    long rules = 0;
    for (Group g : sortedGroups()) {
      ObjectNode gn = groupsNode.addObject();
      gn.put("key", g.key);
      if (g.transactions == null) {
        gn.putNull("transactions");
      } else {
        gn.put("transactions", g.transactions);
        transactions += g.transactions;
      }
      gn.put("itemsets", g.itemsets);
      gn.put("rules", g.rules);
      itemsets += g.itemsets;
      rules += g.rules;
      int maxLen = g.lengths.length - 1;
      while (maxLen > 0 && g.lengths[maxLen] == 0) {
        maxLen--;
      }
      ArrayNode lengths = gn.putArray("lengths");
      for (int i = 0; i <= maxLen; i++) {
        lengths.add(g.lengths[i]);
      }
      List<Itemset> top = new ArrayList<>(g.frequent);
      top.sort(MOST_FREQUENT);
      ArrayNode topItemsNode = gn.putArray("topItems");
      for (Itemset s : top) {
        topItemsNode.addArray().add(id(s.items()[0], index, items)).add(s.count());
      }
      gn.put("itemsNotShown", g.singles - top.size());
      List<Rule> strongest = new ArrayList<>(g.strongest);
      strongest.sort(STRONGEST);
      ArrayNode rulesNode = gn.putArray("topRules");
      for (Rule r : strongest) {
        ArrayNode rn = rulesNode.addArray();
        ArrayNode a = rn.addArray();
        for (String item : r.antecedents()) {
          a.add(id(item, index, items));
        }
        ArrayNode c = rn.addArray();
        for (String item : r.consequents()) {
          c.add(id(item, index, items));
        }
        rn.add(r.support()).add(r.confidence()).add(r.lift());
      }
      gn.put("rulesNotShown", g.rules - strongest.size());
    }
    root.putObject("totals")
        .put("groups", groups.size())
        .put("transactions", transactions)
        .put("itemsets", itemsets)
        .put("rules", rules);
    root.set("items", items);
    root.set("groups", groupsNode);
    return root;
  }

  private static int id(String item, Map<String, Integer> index, ArrayNode items) {
    Integer i = index.get(item);
    if (i == null) {
      i = items.size();
      index.put(item, i);
      items.add(item);
    }
    return i;
  }
}
