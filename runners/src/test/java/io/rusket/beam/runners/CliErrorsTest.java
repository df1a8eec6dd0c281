package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 §2, in-process: every user mistake of the Beam commands ({@code grouped}, {@code stream},
 * {@code demo}, {@code selftest}) is one line {@code error: ...} naming the option, value, file or
 * row, with exit code 2, and a stack trace only with {@code --verbose}. (Through the jar, and
 * Spark's own stderr: {@link BundledJarIT}.)
 */
class CliErrorsTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path good;
  private static Path ragged;
  private static Path oneHot2;
  private static Path oneHotMinus1;
  private static Path bigItem;
  private static Path nullItem;
  private static Path nullParquet;

  @BeforeAll
  static void files() throws IOException {
    good = Files.writeString(data.resolve("good.csv"), "store,txn,item\nS1,1,a\nS1,1,b\nS2,2,a\n");
    ragged = Files.writeString(data.resolve("ragged.csv"), "store,txn,item\nS1,1,a\nS1,1\n");
    oneHot2 = Files.writeString(data.resolve("onehot2.csv"), "store,a,b\nS1,1,0\nS1,2,1\n");
    oneHotMinus1 = Files.writeString(data.resolve("onehotm1.csv"), "store,a,b\nS1,1,0\nS1,0,-1\n");
    bigItem = Files.writeString(data.resolve("big.csv"), "txn,item\n1,0\n1,1\n2,5\n");
    nullItem = data.resolve("null.arrow");
    writeArrowWithNullItem(nullItem);
    nullParquet = data.resolve("null.parquet");
    writeParquetWithNullItem(nullParquet);
  }

  /**
   * A Parquet file {@code store, txn, item} (STRING, INT64, nullable STRING), item null in row 2.
   */
  private static void writeParquetWithNullItem(Path path) throws IOException {
    org.apache.avro.Schema schema =
        SchemaBuilder.record("event")
            .fields()
            .requiredString("store")
            .requiredLong("txn")
            .optionalString("item")
            .endRecord();
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(path.toUri()), new Configuration()))
            .withSchema(schema)
            .build()) {
      for (String item : new String[] {"a", null}) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("store", "S1");
        r.put("txn", 1L);
        r.put("item", item);
        w.write(r);
      }
    }
  }

  /** An Arrow IPC file {@code store, txn, item} (INT64) whose second row's item is null. */
  private static void writeArrowWithNullItem(Path path) throws IOException {
    ArrowType int64 = new ArrowType.Int(64, true);
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(
            List.of(
                Field.nullable("store", int64),
                Field.nullable("txn", int64),
                Field.nullable("item", int64)));
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
        FileChannel ch =
            FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      for (int row = 0; row < 2; row++) {
        ((BigIntVector) root.getVector(0)).setSafe(row, 1);
        ((BigIntVector) root.getVector(1)).setSafe(row, 1);
      }
      ((BigIntVector) root.getVector(2)).setSafe(0, 0);
      ((BigIntVector) root.getVector(2)).setNull(1);
      root.setRowCount(2);
      w.start();
      w.writeBatch();
      w.end();
    }
  }

  private String[] grouped(Path input, String... more) {
    return Stream.concat(
            Stream.of(
                "grouped",
                "--runner=DirectRunner",
                "--input=" + input,
                "--groupCol=store",
                "--txnCol=txn",
                "--itemCol=item",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  private String[] oneHot(Path input, String... more) {
    return Stream.concat(
            Stream.of(
                "grouped",
                "--runner=DirectRunner",
                "--input=" + input,
                "--groupCol=store",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  private String[] stream(Path input, String... more) {
    return Stream.concat(
            Stream.of(
                "stream",
                "--runner=DirectRunner",
                "--input=" + input,
                "--txnCol=txn",
                "--itemCol=item",
                "--numItems=3",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  // --- option errors: one place (RunnerSetup.optionsFrom, BeamArgs) for every Beam command

  @Test
  void aValueOfTheWrongTypeNamesTheOptionAndTheValue() {
    Cli.run(grouped(good, "--minSupport=abc"))
        .assertUsageError("--minSupport: 'abc' is not a number");
    Cli.run(stream(good, "--minSupport=abc"))
        .assertUsageError("--minSupport: 'abc' is not a number");
    Cli.run(grouped(good, "--maxLen=1.5")).assertUsageError("--maxLen: '1.5' is not an integer");
    Cli.run(stream(good, "--shards=many")).assertUsageError("--shards: 'many' is not an integer");
    Cli.run(grouped(good, "--numShards=99999999999"))
        .assertUsageError("--numShards: 99999999999 is out of range [-2147483648, 2147483647]");
    Cli.run(grouped(good, "--rules=yes"))
        .assertUsageError("--rules: 'yes' is not true or false (a flag: --rules or --rules=false)");
    Cli.run(grouped(good, "--minSupport="))
        .assertUsageError("--minSupport needs a value: --minSupport=X");
  }

  @Test
  void unknownOptionsAreNamedWithASuggestion() {
    Cli.run(grouped(good, "--foo=1")).assertUsageError("unknown option --foo (see --help)");
    Cli.run(grouped(good, "--minSuport=0.1"))
        .assertUsageError("unknown option --minSuport; did you mean --minSupport? (see --help)");
    Cli.run(stream(good, "--numitems=3"))
        .assertUsageError("unknown option --numitems; did you mean --numItems? (see --help)");
    Cli.run(grouped(good, "--sparkMastr=local[2]"))
        .assertUsageError("unknown option --sparkMastr; did you mean --sparkMaster? (see --help)");
    Cli.run("selftest", "--foo=1").assertUsageError("unknown option --foo (see --help)");
    Cli.run("demo", "--output=" + dir, "--foo=1")
        .assertUsageError("unknown option --foo (see --help)");
    Cli.run(grouped(good, "minSupport=0.1"))
        .assertUsageError(
            "unexpected argument 'minSupport=0.1': options are written --name=value (see --help)");
  }

  @Test
  void anOptionGivenTwiceOrMissingIsNamed() {
    Cli.run(grouped(good, "--minSupport=0.3", "--minSupport=0.9"))
        .assertUsageError("--minSupport is given more than once");
    Cli.run("grouped", "--runner=DirectRunner", "--input=" + good, "--output=" + dir)
        .assertUsageError("missing required option --groupCol (see --help)");
    Cli.run("stream", "--runner=DirectRunner", "--txnCol=txn", "--output=" + dir)
        .assertUsageError("missing required option --input (see --help)");
  }

  /** As mine: options that only act with --rules are a mistake without it; so is --numItems. */
  @Test
  void ignoredOptionsAreMistakes() {
    Cli.run(grouped(good, "--metric=lift")).assertUsageError("--metric needs --rules");
    Cli.run(grouped(good, "--minThreshold=0.5")).assertUsageError("--minThreshold needs --rules");
    Cli.run(grouped(good, "--rules=false", "--metric=lift"))
        .assertUsageError("--metric needs --rules");
    Cli.run(stream(good, "--metric=lift")).assertUsageError("--metric needs --rules");
    Cli.run(grouped(good, "--numItems=4"))
        .assertUsageError(
            "--numItems applies to stream only; grouped finds the items in the input");
    assertFalse(Files.exists(dir.resolve("out")));
  }

  // --- checks before the run

  @Test
  void aSparkMasterIsCheckedBeforeSparkStarts() {
    Cli.run(
            "grouped",
            "--input=" + good,
            "--groupCol=store",
            "--output=" + dir,
            "--sparkMaster=bogus")
        .assertUsageError(
            "--sparkMaster: 'bogus' is not a Spark master URL; use local, local[N], local[*],"
                + " local[N,F], spark://HOST:PORT, yarn, k8s://URL or mesos://URL");
    Cli.run(
            "grouped",
            "--runner=SparkRunner",
            "--input=" + good,
            "--groupCol=store",
            "--output=" + dir,
            "--sparkMaster=local[0]")
        .assertUsageError(
            "--sparkMaster: 'local[0]' asks for 0 threads N; it must be at least 1, e.g. local[2]"
                + " or local[*]");
    Cli.run("selftest", "--sparkMaster=local[2,0]").assertUsageErrorContaining("0 task failures");
  }

  @Test
  void sparkMasterForms() {
    for (String ok :
        List.of(
            "local",
            "local[1]",
            "local[16]",
            "local[*]",
            "local[2,3]",
            "local[*, 4]",
            "local-cluster[2,1,1024]",
            "spark://host:7077",
            "spark://a:7077,b:7077",
            "yarn",
            "k8s://https://api.example.com:6443",
            "mesos://zk://h:2181/mesos")) {
      RunnerSetup.checkSparkMaster(ok);
    }
    for (String bad :
        List.of(
            "",
            "bogus",
            "local[]",
            "local[x]",
            "local[0]",
            "local[2,0]",
            "Local[2]",
            "local[ 2]",
            " local",
            "spark://host",
            "spark://",
            "local-cluster[0,1,1024]",
            "yarn-client")) {
      UsageException e =
          assertThrows(UsageException.class, () -> RunnerSetup.checkSparkMaster(bad), bad);
      assertTrue(e.getMessage().startsWith("--sparkMaster: '" + bad + "' "), e::getMessage);
    }
  }

  @Test
  void anOutputThatIsAFileOrCannotBeWrittenFailsBeforeTheRun() throws IOException {
    Path file = Files.writeString(dir.resolve("taken.txt"), "keep");
    Cli.run(argsWithOutput(file))
        .assertUsageError("--output: " + file + " is a file, not a directory");
    assertEquals("keep", Files.readString(file));
    Path under = file.resolve("out");
    Cli.run(argsWithOutput(under))
        .assertUsageError("--output: cannot create " + under + ": " + file + " is a file");
  }

  @Test
  void anOutputInAReadOnlyDirectoryFailsBeforeTheRun() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeFalse(Files.isWritable(ro), "running as root: every directory is writable");
      Cli.run(argsWithOutput(ro.resolve("out")))
          .assertUsageError(
              "--output: cannot write in " + ro.resolve("out") + ": permission denied");
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private String[] argsWithOutput(Path output) {
    return new String[] {
      "grouped",
      "--runner=DirectRunner",
      "--input=" + good,
      "--groupCol=store",
      "--txnCol=txn",
      "--itemCol=item",
      "--output=" + output
    };
  }

  @Test
  void anInputDirectoryOrAnEmptyGlobNamesThePath() {
    Cli.run(grouped(data))
        .assertUsageError(
            "--input: "
                + data
                + " is a directory; give a file or a glob, e.g. --input="
                + data.resolve("*.parquet"));
    Cli.run(stream(data)).assertUsageErrorContaining("--input: " + data + " is a directory");
    Path glob = data.resolve("none-*.parquet");
    Cli.run(grouped(glob)).assertUsageErrorContaining(glob.toString());
  }

  // --- input-data errors met while the pipeline runs (DirectRunner; Spark: BundledJarIT)

  @Test
  void aRaggedRowNamesFileAndRow() {
    Cli r = Cli.run(grouped(ragged));
    r.assertUsageErrorContaining(ragged + " line 3");
    assertFalse(r.err().contains("Exception"), r::err);
  }

  @Test
  void oneHotValuesOtherThanZeroOrOneAreNamed() {
    Cli r = Cli.run(oneHot(oneHot2));
    r.assertUsageErrorContaining("2");
    assertTrue(r.err().contains("'a'"), r::err);
    assertFalse(r.err().contains("Exception"), r::err);
    Cli m = Cli.run(oneHot(oneHotMinus1));
    m.assertUsageErrorContaining("-1");
    assertTrue(m.err().contains("'b'"), m::err);
  }

  /** The transform's withNumItems is the command's --numItems. */
  @Test
  void anItemOutsideNumItemsNamesTheOption() {
    Cli r = Cli.run(stream(bigItem));
    r.assertUsageErrorContaining(
        "item = 5 in transaction 2 is out of range [0, 3): raise --numItems");
    assertFalse(r.err().contains("withNumItems") || r.err().contains("Exception"), r::err);
  }

  @Test
  void anArrowOrParquetNullIsNamed() {
    for (Cli r :
        List.of(
            Cli.run(stream(nullItem)), Cli.run(grouped(nullItem)), Cli.run(grouped(nullParquet)))) {
      r.assertUsageErrorContaining("null");
      assertTrue(r.err().contains("item"), r::err);
      assertFalse(r.err().contains("Exception"), r::err);
    }
  }

  @Test
  void anEmptyValueNamesTheFile() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.csv"), "store,txn,item\nS1,1,a\nS1,,c\n");
    Cli r = Cli.run(grouped(empty));
    r.assertUsageErrorContaining(empty.toString());
    assertFalse(r.err().contains("Exception"), r::err);
  }

  @Test
  void verboseAddsTheStackTrace() {
    Cli r = Cli.run(stream(bigItem, "--verbose"));
    assertEquals(Main.EXIT_USAGE, r.exitCode(), r::err);
    List<String> lines = r.err().lines().toList();
    assertEquals(
        "error: MineStream: item = 5 in transaction 2 is out of range [0, 3): raise --numItems",
        lines.get(0));
    assertTrue(lines.size() > 5 && lines.stream().anyMatch(l -> l.startsWith("\tat ")), r::err);
    assertTrue(r.err().contains("IllegalArgumentException"), r::err);
    // usage errors too, and --verbose is accepted by every command, anywhere
    Cli u = Cli.run("--verbose", "grouped", "--minSupport=abc");
    assertEquals(Main.EXIT_USAGE, u.exitCode());
    assertEquals("error: --minSupport: 'abc' is not a number", u.err().lines().findFirst().get());
    assertTrue(u.err().lines().anyMatch(l -> l.startsWith("\tat ")), u::err);
    Cli.run("mine", "--verbose=maybe")
        .assertUsageError(
            "Invalid --verbose: maybe. It is a flag: --verbose or --verbose=true|false.");
  }

  @Test
  void everyCommandsHelpDocumentsVerbose() {
    for (String command : List.of("mine", "grouped", "stream", "generate", "demo", "selftest")) {
      Cli r = Cli.run(command, "--help");
      assertEquals(Main.EXIT_OK, r.exitCode());
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  --verbose ")), () -> command);
    }
    assertTrue(Cli.run("--help").out().contains("--verbose"));
  }

  /** stream takes integer ids only: its help says so instead of "STRING or integer". */
  @Test
  void streamHelpSaysItsColumnsAreIntegers() {
    String help = Cli.run("stream", "--help").out();
    assertFalse(help.contains("STRING"), help);
    assertTrue(help.contains("The transaction column, of integer ids"), help);
    assertTrue(help.contains("CSV values are parsed as integers"), help);
    assertTrue(Cli.run("grouped", "--help").out().contains("(STRING or integer)"));
  }
}
