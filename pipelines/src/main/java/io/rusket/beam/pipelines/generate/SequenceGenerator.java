package io.rusket.beam.pipelines.generate;

import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.LocalFiles;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * The {@link Layout#SEQUENCES} layout: customers with time-ordered visits, for sequential-pattern
 * mining. Deterministic for a {@link Config} (its seed, stores, store skew, items, item skew, mean
 * basket size; {@code transactions} is the number of visits).
 *
 * <p><b>Model.</b> Store {@code k} gets a Zipf share {@code 1/(k+1)^storeSkew} of the visits, as
 * the other layouts. A store's visits go to its customers, each with {@code 1 + Poisson(}{@value
 * #MEAN_VISITS}{@code - 1)} visits (the last customer takes what is left); a customer's first visit
 * is on day 1–30, each next one 1–7 days later. A visit buys {@code 1 + Poisson(meanBasketSize -
 * 1)} distinct items: first, for each item of the customer's previous visit, with probability
 * {@value #FOLLOW_PROBABILITY} one of that item's three fixed successors (weights 6:3:1; the
 * successors of every item are drawn once, Zipf over the items), so some items tend to follow
 * others; the rest is drawn with Zipf weights {@code 1/(rank+1)^itemSkew}.
 *
 * <p><b>File</b> {@code sequences.<ext>}: one row per (visit, item): {@code store_id STRING,
 * customer_id INT64, day INT64, item_id INT32, item STRING}; rows by store, customer, day, item id;
 * customer ids are 1..C over all stores.
 */
public final class SequenceGenerator {
  /** Mean number of visits per customer. */
  public static final double MEAN_VISITS = 5.0;

  /** Probability that an item of a visit is followed by one of its successors in the next. */
  public static final double FOLLOW_PROBABILITY = 0.35;

  private static final int SUCCESSORS = 3;

  private SequenceGenerator() {}

  /** The Beam schema of the layout. */
  public static Schema schema() {
    return Schema.builder()
        .addStringField("store_id")
        .addInt64Field("customer_id")
        .addInt64Field("day")
        .addInt32Field("item_id")
        .addStringField("item")
        .build();
  }

  /** Receives the events in file order. */
  public interface EventSink {
    /** One event: item {@code item} bought by {@code customer} of store {@code store} on a day. */
    void accept(int store, long customer, long day, int item) throws IOException;
  }

  /** The events of a config in memory: parallel arrays in file order. */
  public static final class Events {
    public final String[] storeIds;
    public final String[] itemNames;
    public final int n;
    public final int[] store;
    public final long[] customer;
    public final long[] day;
    public final int[] item;
    public final long visits;

    Events(
        String[] storeIds,
        String[] itemNames,
        int n,
        int[] store,
        long[] customer,
        long[] day,
        int[] item,
        long visits) {
      this.storeIds = storeIds;
      this.itemNames = itemNames;
      this.n = n;
      this.store = store;
      this.customer = customer;
      this.day = day;
      this.item = item;
      this.visits = visits;
    }
  }

  /** Store ids as the other layouts name them. */
  static String[] storeIds(int nStores) {
    String[] ids = new String[nStores];
    for (int k = 0; k < nStores; k++) {
      ids[k] = String.format(Locale.ROOT, nStores < 1000 ? "S%03d" : "S%07d", k + 1);
    }
    return ids;
  }

  static String[] itemNames(int items) {
    String[] names = new String[items];
    for (int i = 0; i < items; i++) {
      names[i] = Generator.itemName(i);
    }
    return names;
  }

  /** Generates the events of {@code config} in memory. */
  public static Events generate(Config config) {
    int[] cap = {1 << 16};
    int[][] st = {new int[cap[0]]};
    long[][] cu = {new long[cap[0]]};
    long[][] dy = {new long[cap[0]]};
    int[][] it = {new int[cap[0]]};
    int[] n = {0};
    long visits;
    try {
      visits =
          run(
              config,
              (s, c, d, i) -> {
                if (n[0] == cap[0]) {
                  cap[0] = io.rusket.beam.miner.ArrayUtil.grow(cap[0], cap[0] + 1L);
                  st[0] = Arrays.copyOf(st[0], cap[0]);
                  cu[0] = Arrays.copyOf(cu[0], cap[0]);
                  dy[0] = Arrays.copyOf(dy[0], cap[0]);
                  it[0] = Arrays.copyOf(it[0], cap[0]);
                }
                st[0][n[0]] = s;
                cu[0][n[0]] = c;
                dy[0][n[0]] = d;
                it[0][n[0]] = i;
                n[0]++;
              });
    } catch (IOException e) {
      throw new AssertionError(e); // the sink above does no IO
    }
    return new Events(
        storeIds(config.stores),
        itemNames(config.items),
        n[0],
        Arrays.copyOf(st[0], n[0]),
        Arrays.copyOf(cu[0], n[0]),
        Arrays.copyOf(dy[0], n[0]),
        Arrays.copyOf(it[0], n[0]),
        visits);
  }

  /**
   * Draws the events of {@code config} in file order into {@code sink}.
   *
   * @return the number of visits
   * @throws IllegalArgumentException if there are fewer visits (transactions) than stores
   */
  public static long run(Config config, EventSink sink) throws IOException {
    if (config.transactions < config.stores) {
      throw new IllegalArgumentException(
          "Invalid transactions: "
              + config.transactions
              + ". Every one of the "
              + config.stores
              + " stores needs at least one visit.");
    }
    SplittableRandom rnd = new SplittableRandom(config.seed ^ 0x5EC0E9CEL);
    int nStores = config.stores;
    long total = config.transactions;
    double[] w = new double[nStores];
    double wSum = 0;
    for (int k = 0; k < nStores; k++) {
      w[k] = 1.0 / Math.pow(k + 1, config.storeSkew);
      wSum += w[k];
    }
    long[] size = new long[nStores];
    long assigned = 0;
    for (int k = 0; k < nStores; k++) {
      size[k] = Math.max(1, (long) Math.floor((total - nStores) * w[k] / wSum) + 1);
      assigned += size[k];
    }
    size[0] += total - assigned;
    final int nItems = config.items;
    double[] itemCdf = Generator.zipfCdf(nItems, config.itemSkew);
    int[][] succ = new int[nItems][SUCCESSORS];
    for (int i = 0; i < nItems; i++) {
      for (int j = 0; j < SUCCESSORS; j++) {
        int c = Generator.draw(itemCdf, rnd);
        succ[i][j] = nItems > 1 && c == i ? (c + 1) % nItems : c;
      }
    }
    boolean[] in = new boolean[nItems];
    int[] prev = new int[nItems];
    int[] cur = new int[nItems];
    long customer = 0;
    for (int k = 0; k < nStores; k++) {
      long left = size[k];
      while (left > 0) {
        customer++;
        long visitsOf = Math.min(left, 1 + Generator.poisson(MEAN_VISITS - 1, rnd));
        left -= visitsOf;
        long day = 1 + rnd.nextInt(30);
        int prevLen = 0;
        for (long v = 0; v < visitsOf; v++) {
          int target = Math.min(nItems, 1 + Generator.poisson(config.meanBasketSize - 1, rnd));
          int len = 0;
          for (int p = 0; p < prevLen; p++) {
            if (rnd.nextDouble() < FOLLOW_PROBABILITY) {
              double u = rnd.nextDouble();
              int s = succ[prev[p]][u < 0.6 ? 0 : u < 0.9 ? 1 : 2];
              if (!in[s]) {
                in[s] = true;
                cur[len++] = s;
              }
            }
          }
          int tries = 0;
          while (len < target && tries++ < 20 * target) {
            int s = Generator.draw(itemCdf, rnd);
            if (!in[s]) {
              in[s] = true;
              cur[len++] = s;
            }
          }
          Arrays.sort(cur, 0, len);
          for (int q = 0; q < len; q++) {
            in[cur[q]] = false;
            sink.accept(k, customer, day, cur[q]);
          }
          System.arraycopy(cur, 0, prev, 0, len);
          prevLen = len;
          day += 1 + rnd.nextInt(7);
        }
      }
    }
    return total;
  }

  /**
   * Writes {@code sequences.<ext>} of {@code config} to {@code path} in {@code format}, generated
   * while written.
   *
   * @return {visits, events}
   */
  public static long[] write(Config config, Path path, InputFormat format) throws IOException {
    String[] stores = storeIds(config.stores);
    String[] names = itemNames(config.items);
    long[] events = {0};
    long visits;
    try (Writer w = open(format, path, stores, names)) {
      visits =
          run(
              config,
              (s, c, d, i) -> {
                w.write(s, c, d, i);
                events[0]++;
              });
    }
    return new long[] {visits, events[0]};
  }

  private static Writer open(InputFormat f, Path path, String[] stores, String[] names)
      throws IOException {
    switch (f) {
      case PARQUET:
        return new ParquetOut(path, stores, names);
      case ARROW:
        return new ArrowOut(path, stores, names);
      case CSV:
        return new CsvOut(path, stores, names);
      default:
        throw new AssertionError(f);
    }
  }

  private interface Writer extends Closeable {
    void write(int store, long customer, long day, int item) throws IOException;
  }

  private static final class ParquetOut implements Writer {
    private final ParquetWriter<GenericRecord> w;
    private final GenericData.Record r;
    private final Utf8[] stores;
    private final Utf8[] names;
    private final Integer[] ids;

    ParquetOut(Path path, String[] storeIds, String[] itemNames) throws IOException {
      org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema());
      w = LocalFiles.parquetWriter(path, avro);
      r = new GenericData.Record(avro);
      stores = new Utf8[storeIds.length];
      for (int i = 0; i < stores.length; i++) {
        stores[i] = new Utf8(storeIds[i]);
      }
      names = new Utf8[itemNames.length];
      ids = new Integer[itemNames.length];
      for (int i = 0; i < names.length; i++) {
        names[i] = new Utf8(itemNames[i]);
        ids[i] = i;
      }
    }

    @Override
    public void write(int store, long customer, long day, int item) throws IOException {
      r.put(0, stores[store]);
      r.put(1, customer);
      r.put(2, day);
      r.put(3, ids[item]);
      r.put(4, names[item]);
      w.write(r);
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }

  private static final class ArrowOut implements Writer {
    private final BufferAllocator alloc = new RootAllocator();
    private final VectorSchemaRoot root;
    private final FileChannel ch;
    private final ArrowFileWriter w;
    private final byte[][] stores;
    private final byte[][] names;
    private int rows;

    ArrowOut(Path path, String[] storeIds, String[] itemNames) throws IOException {
      List<Field> fields = new ArrayList<>();
      for (Schema.Field f : schema().getFields()) {
        fields.add(Field.notNullable(f.getName(), LocalFiles.arrowType(f.getType())));
      }
      root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), alloc);
      ch =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      w = new ArrowFileWriter(root, null, ch);
      w.start();
      stores = new byte[storeIds.length][];
      for (int i = 0; i < stores.length; i++) {
        stores[i] = storeIds[i].getBytes(StandardCharsets.UTF_8);
      }
      names = new byte[itemNames.length][];
      for (int i = 0; i < names.length; i++) {
        names[i] = itemNames[i].getBytes(StandardCharsets.UTF_8);
      }
      root.allocateNew();
    }

    @Override
    public void write(int store, long customer, long day, int item) throws IOException {
      ((VarCharVector) root.getVector(0)).setSafe(rows, stores[store]);
      ((BigIntVector) root.getVector(1)).setSafe(rows, customer);
      ((BigIntVector) root.getVector(2)).setSafe(rows, day);
      ((IntVector) root.getVector(3)).setSafe(rows, item);
      ((VarCharVector) root.getVector(4)).setSafe(rows, names[item]);
      if (++rows == LocalFiles.ARROW_BATCH_ROWS) {
        root.setRowCount(rows);
        w.writeBatch();
        root.allocateNew();
        rows = 0;
      }
    }

    @Override
    public void close() throws IOException {
      try (alloc;
          root;
          ch;
          w) {
        if (rows > 0) {
          root.setRowCount(rows);
          w.writeBatch();
        }
        w.end();
      }
    }
  }

  private static final class CsvOut implements Writer {
    private final BufferedWriter w;
    private final String[] stores;
    private final String[] names;
    private final StringBuilder sb = new StringBuilder();

    CsvOut(Path path, String[] storeIds, String[] itemNames) throws IOException {
      w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
      w.write(String.join(",", schema().getFieldNames()));
      w.write('\n');
      stores = storeIds;
      names = itemNames;
    }

    @Override
    public void write(int store, long customer, long day, int item) throws IOException {
      sb.setLength(0);
      sb.append(stores[store])
          .append(',')
          .append(customer)
          .append(',')
          .append(day)
          .append(',')
          .append(item)
          .append(',')
          .append(names[item])
          .append('\n');
      w.append(sb);
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }
}
