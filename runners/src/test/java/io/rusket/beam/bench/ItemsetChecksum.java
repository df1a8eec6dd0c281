package io.rusket.beam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.miner.ItemsetSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An order-independent checksum of itemsets, global ({@code stream}) or per group ({@code
 * grouped}), computed alike from a miner's sink and from a pipeline's JSON-lines output, so the
 * {@code scale} suite can compare the two without holding either.
 *
 * <p>An itemset's term is {@link Fingerprint#term} of the sum of its items' keys ({@link
 * Fingerprint#itemKeys}) plus its group's key (a 64-bit hash of the group value; 0 for global
 * itemsets), and its count; the checksum is the sum of the terms. Items are the integer item ids
 * (the pipelines write them as numbers for {@code stream}, as strings for {@code grouped}).
 */
final class ItemsetChecksum {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long[] keys = Fingerprint.itemKeys(ScaleChild.ITEMS);
  private long checksum;
  private long itemsets;

  /** Adds one itemset of group {@code groupKey} (0: global). */
  void add(long groupKey, int[] items, int length, long count) {
    long k = groupKey;
    for (int i = 0; i < length; i++) {
      k += key(items[i]);
    }
    checksum += Fingerprint.term(k, count);
    itemsets++;
  }

  private long key(int item) {
    if (item < 0 || item >= keys.length) {
      throw new IllegalArgumentException(
          "item id " + item + " outside [0, " + keys.length + "): not the generated data");
    }
    return keys[item];
  }

  /** A sink adding global itemsets. */
  ItemsetSink stream() {
    return (items, length, count) -> add(0, items, length, count);
  }

  /** A sink adding the itemsets of group {@code group}. */
  ItemsetSink grouped(String group) {
    long g = groupKey(group);
    return (items, length, count) -> add(g, items, length, count);
  }

  /** FNV-1a over the UTF-8 bytes, then mixed: the key of a group value. */
  static long groupKey(String group) {
    long h = 0xcbf29ce484222325L;
    for (byte b : group.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  /** Sets the totals, as another process reported them. */
  void set(long itemsets, long checksum) {
    this.itemsets = itemsets;
    this.checksum = checksum;
  }

  long checksum() {
    return checksum;
  }

  long itemsets() {
    return itemsets;
  }

  /**
   * The checksum of every {@code *.jsonl} file under {@code dir} (a pipeline's {@code itemsets/}
   * output): fields {@code itemsets} (array of item ids, as numbers or strings) and {@code count},
   * and {@code groupField} when not null.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException for a line without those fields, naming file and line
   */
  static ItemsetChecksum ofJsonLines(Path dir, String groupField) throws IOException {
    ItemsetChecksum sum = new ItemsetChecksum();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
              .sorted()
              .collect(Collectors.toList());
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no .jsonl files under " + dir);
    }
    int[] items = new int[64];
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = JSON.readTree(line);
          JsonNode set = n.get("itemsets");
          JsonNode count = n.get("count");
          JsonNode group = groupField == null ? null : n.get(groupField);
          if (set == null
              || !set.isArray()
              || count == null
              || (groupField != null && group == null)) {
            throw new IllegalArgumentException(
                f + " line " + lineNo + ": not an itemset row: " + line);
          }
          if (set.size() > items.length) {
            items = new int[set.size()];
          }
          for (int i = 0; i < set.size(); i++) {
            JsonNode v = set.get(i);
            items[i] = v.isNumber() ? v.asInt() : Integer.parseInt(v.asText());
          }
          sum.add(group == null ? 0 : groupKey(group.asText()), items, set.size(), count.asLong());
        }
      }
    }
    return sum;
  }
}
