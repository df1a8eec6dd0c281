package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grouped} and {@code stream} with {@code --input} and {@code --output} on a real HDFS
 * (Hadoop's MiniDFSCluster) and a real S3 API (S3Proxy), both on 127.0.0.1 and started here once
 * for the class ({@link RemoteStores}): Parquet, Arrow and CSV inputs (files and globs) read from
 * each, every output format written to each, on the DirectRunner and on embedded Spark, each result
 * equal, file by file and row by row, to the same command's run on local files. Then the one-line
 * errors before the run: a missing bucket, refused credentials, an endpoint that refuses or never
 * answers, an unknown namenode host, gs:// without credentials.
 */
class RemoteFileSystemsTest {
  @TempDir static Path tmp;
  private static RemoteStores stores;
  private static Path in;
  private static final AtomicInteger RUN = new AtomicInteger();

  /**
   * 3 stores, 600 receipts, 40 items as Parquet, Arrow and CSV events; each format twice (a glob
   * matches two files), on local disk and uploaded to HDFS /in/ and s3://rusket/in/.
   */
  @BeforeAll
  static void start() throws Exception {
    in = tmp.resolve("in");
    Path gen = tmp.resolve("gen");
    GenerateData.write(
        GenerateData.generate(
            Config.of(5)
                .withStores(3)
                .withTransactions(600)
                .withItems(40)
                .withItemNameColumn(true)),
        gen,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW, InputFormat.CSV));
    Files.createDirectories(in);
    stores = RemoteStores.start(tmp.resolve("stores"));
    for (String ext : List.of("parquet", "arrow", "csv")) {
      for (String copy : List.of("a", "b")) {
        String name = "events-" + copy + "." + ext;
        Files.copy(gen.resolve("events." + ext), in.resolve(name));
        stores.putHdfs(in.resolve(name), "/in/" + name);
        stores.putS3(in.resolve(name), "in/" + name);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (stores != null) {
      stores.close();
    }
  }

  /** {@code where}'s root: a local directory, {@code hdfs://127.0.0.1:PORT} or {@code s3://B}. */
  private enum Store {
    LOCAL,
    HDFS,
    S3
  }

  private static String root(Store s) {
    switch (s) {
      case LOCAL:
        return tmp.toString();
      case HDFS:
        return stores.hdfsUri();
      case S3:
        return "s3://" + RemoteStores.BUCKET;
      default:
        throw new AssertionError(s);
    }
  }

  private static List<String> storeOptions(Store s) {
    return s == Store.S3 ? stores.s3Options() : List.of();
  }

  /**
   * Runs {@code command} with {@code --input=ROOT/in/INPUT} and a fresh {@code --output} under
   * {@code store}, then the same on local files, and asserts equal result files ({@code
   * --numShards} given, so that their names do not depend on the runner).
   */
  private static void sameAsLocal(Store store, String command, String input, String... more)
      throws Exception {
    String out = "/out-" + RUN.incrementAndGet();
    Map<String, List<String>> remote = run(store, command, input, out, more);
    Map<String, List<String>> local = run(Store.LOCAL, command, input, out, more);
    assertFalse(local.isEmpty(), "no result files");
    assertEquals(local.keySet(), remote.keySet(), "result files");
    // Rows go to shards at random: the rows of each result directory, over its shards, as a set
    Map<String, List<String>> localRows = OutputFiles.byDirectory(local);
    assertEquals(localRows, OutputFiles.byDirectory(remote), "rows of each result directory");
    assertFalse(localRows.get("itemsets").isEmpty(), "no itemsets");
  }

  private static Map<String, List<String>> run(
      Store store, String command, String input, String out, String... more) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.add("--input=" + root(store) + "/in/" + input);
    args.add("--output=" + root(store) + out + "-" + store);
    args.add("--quiet");
    args.addAll(storeOptions(store));
    args.addAll(Arrays.asList(more));
    Cli r = Cli.run(args.toArray(new String[0]));
    assertEquals(Main.EXIT_OK, r.exitCode(), () -> args + ": " + r.err());
    assertEquals("", r.err());
    assertTrue(r.out().contains(" output=" + root(store) + out + "-" + store + " "), () -> r.out());
    Path copy = tmp.resolve("fetched" + out + "-" + store);
    Files.createDirectories(copy);
    switch (store) {
      case LOCAL:
        return OutputFiles.of(tmp.resolve(out.substring(1) + "-" + store));
      case HDFS:
        assertEquals(
            stores.getHdfs(out + "-" + store, copy).size(),
            stores.hdfsTree(out + "-" + store).stream().filter(n -> !n.endsWith("/")).count());
        // Only result files and their folders: no temporary folder of Beam's left behind
        for (String n : stores.hdfsTree(out + "-" + store)) {
          assertFalse(n.contains("temp"), () -> "left in the output: " + n);
        }
        return OutputFiles.of(copy);
      case S3:
        stores.getS3(out.substring(1) + "-" + store + "/", copy);
        return OutputFiles.of(copy);
      default:
        throw new AssertionError(store);
    }
  }

  private static final String[] GROUPED = {
    "--groupCol=store_id", "--txnCol=transaction_id", "--itemCol=item", "--minSupport=0.05"
  };
  private static final String[] STREAM = {
    "--txnCol=transaction_id", "--itemCol=item_id", "--numItems=40", "--minSupport=0.05"
  };

  private static String[] with(String[] base, String... more) {
    return Stream.concat(Arrays.stream(base), Arrays.stream(more)).toArray(String[]::new);
  }

  @Test
  void groupedParquetGlobFromHdfsToJsonLinesOnTheDirectRunner() throws Exception {
    sameAsLocal(
        Store.HDFS,
        "grouped",
        "*.parquet",
        with(GROUPED, "--runner=DirectRunner", "--rules", "--outputFormat=jsonl", "--numShards=2"));
  }

  @Test
  void groupedArrowFromS3ToParquetOnEmbeddedSpark() throws Exception {
    sameAsLocal(
        Store.S3,
        "grouped",
        "events-a.arrow",
        with(
            GROUPED,
            "--sparkMaster=local[2]",
            "--rules",
            "--outputFormat=parquet",
            "--numShards=3"));
  }

  @Test
  void groupedCsvGlobFromS3ToCsvOnTheDirectRunner() throws Exception {
    sameAsLocal(
        Store.S3,
        "grouped",
        "events-*.csv",
        with(GROUPED, "--runner=DirectRunner", "--outputFormat=csv", "--numShards=1"));
  }

  @Test
  void groupedCsvFromHdfsToParquetOnTheDirectRunner() throws Exception {
    sameAsLocal(
        Store.HDFS,
        "grouped",
        "events-b.csv",
        with(
            GROUPED,
            "--runner=DirectRunner",
            "--rules",
            "--outputFormat=parquet",
            "--numShards=2"));
  }

  @Test
  void streamArrowGlobFromHdfsToCsvOnEmbeddedSpark() throws Exception {
    sameAsLocal(
        Store.HDFS,
        "stream",
        "*.arrow",
        with(STREAM, "--sparkMaster=local[2]", "--rules", "--outputFormat=csv", "--numShards=3"));
  }

  @Test
  void streamParquetGlobFromS3ToJsonLinesOnTheDirectRunner() throws Exception {
    sameAsLocal(
        Store.S3,
        "stream",
        "events-?.parquet",
        with(
            STREAM,
            "--runner=DirectRunner",
            "--outputFormat=jsonl",
            "--shards=2",
            "--numShards=2"));
  }

  /**
   * {@code grouped --report} writes run-info.json and report.html beside its results on S3, and
   * {@code report} reads results from HDFS and S3 (Parquet, CSV): the same data as from local
   * files.
   */
  @Test
  void reportReadsAndWritesOnS3AndHdfs() throws Exception {
    String[] run = with(GROUPED, "--runner=DirectRunner", "--rules", "--numShards=2", "--quiet");
    Path local = tmp.resolve("report-local");
    Cli l =
        Cli.run(
            with(
                with(new String[] {"grouped"}, run),
                "--input=" + in.resolve("events-a.parquet"),
                "--output=" + local,
                "--outputFormat=csv",
                "--report"));
    assertEquals(Main.EXIT_OK, l.exitCode(), l::err);
    var want = ReportCommandTest.data(local.resolve("report.html"));
    assertTrue(want.get("totals").get("rules").asLong() > 0);

    String s3 = root(Store.S3) + "/out-report";
    List<String> args = new ArrayList<>(List.of("grouped"));
    args.addAll(Arrays.asList(run));
    args.addAll(
        List.of(
            "--input=" + root(Store.S3) + "/in/events-a.parquet",
            "--output=" + s3,
            "--outputFormat=parquet",
            "--report"));
    args.addAll(storeOptions(Store.S3));
    Cli g = Cli.run(args.toArray(new String[0]));
    assertEquals(Main.EXIT_OK, g.exitCode(), g::err);
    assertEquals("report=" + s3 + "/report.html", g.out().lines().toList().get(1), g::out);
    Path fetched = tmp.resolve("report-s3");
    stores.getS3("out-report/", fetched);
    var got = ReportCommandTest.data(fetched.resolve("report.html"));
    assertEquals("grouped", got.get("run").get("command").asText());
    for (String field : List.of("groups", "items", "totals")) {
      assertEquals(want.get(field), got.get(field), "S3: " + field);
    }

    String hdfs = root(Store.HDFS) + "/out-report";
    Cli h =
        Cli.run(
            with(
                with(new String[] {"grouped"}, run),
                "--input=" + root(Store.HDFS) + "/in/events-a.parquet",
                "--output=" + hdfs,
                "--outputFormat=csv"));
    assertEquals(Main.EXIT_OK, h.exitCode(), h::err);
    for (String dir : List.of(hdfs, s3)) {
      Path page = tmp.resolve("report-" + dir.substring(0, 2) + ".html");
      List<String> report =
          new ArrayList<>(List.of("report", "--input=" + dir, "--output=" + page));
      if (dir.startsWith("s3")) {
        report.addAll(storeOptions(Store.S3));
      }
      Cli r = Cli.run(report.toArray(new String[0]));
      assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
      var d = ReportCommandTest.data(page);
      for (String field : List.of("groups", "items", "totals")) {
        assertEquals(want.get(field), d.get(field), dir + ": " + field);
      }
    }
  }

  /** {@code generate} to HDFS and S3 writes the bytes it writes locally (its output is exact). */
  @Test
  void generateWritesTheSameBytesToHdfsAndS3() throws Exception {
    List<String> gen =
        List.of(
            "generate",
            "--stores=2",
            "--transactions=300",
            "--items=20",
            "--layouts=events,receipts",
            "--formats=parquet,csv");
    Path localDir = tmp.resolve("gen-local");
    Cli local = Cli.run(concat(gen, "--output=" + localDir));
    assertEquals(Main.EXIT_OK, local.exitCode(), local::err);
    Map<String, byte[]> expected = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(localDir)) {
      for (Path f : files.toList()) {
        expected.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    assertEquals(4, expected.size(), expected::toString);
    for (Store store : List.of(Store.HDFS, Store.S3)) {
      String out = root(store) + "/gen-" + store;
      List<String> args = new ArrayList<>(gen);
      args.add("--output=" + out);
      args.addAll(storeOptions(store));
      Cli r = Cli.run(args.toArray(new String[0]));
      assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
      for (String name : expected.keySet()) {
        assertTrue(
            r.out().contains(out + "/" + name + " " + expected.get(name).length + " bytes"),
            r::out);
      }
      Path fetched = tmp.resolve("gen-fetched-" + store);
      List<String> names =
          store == Store.HDFS
              ? stores.getHdfs("/gen-" + store, fetched)
              : stores.getS3("gen-" + store + "/", fetched);
      assertEquals(new ArrayList<>(expected.keySet()), names);
      for (String name : names) {
        assertTrue(
            Arrays.equals(expected.get(name), Files.readAllBytes(fetched.resolve(name))),
            () -> store + " " + name + " differs");
      }
    }
  }

  private static String[] concat(List<String> args, String... more) {
    return Stream.concat(args.stream(), Arrays.stream(more)).toArray(String[]::new);
  }

  // ------------------------------------------------------------------------------------------
  // Errors before the run: one line naming the option and the path, exit 2, nothing written

  private static String oneLineError(List<String> args, String expected) {
    long start = System.nanoTime();
    Cli r = Cli.run(args.toArray(new String[0]));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertEquals(Main.EXIT_USAGE, r.exitCode(), () -> args + ": " + r.err() + r.out());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("error: " + expected), r::err);
    assertEquals(1, r.err().lines().count(), r::err);
    assertTrue(seconds < 30, "took " + seconds + " s");
    return r.err();
  }

  private static List<String> grouped(String input, String output, String... more) {
    List<String> args = new ArrayList<>(List.of("grouped", "--runner=DirectRunner"));
    args.addAll(Arrays.asList(GROUPED));
    args.add("--input=" + input);
    args.add("--output=" + output);
    args.addAll(Arrays.asList(more));
    return args;
  }

  private static List<String> s3(List<String> args, String... replaced) {
    List<String> all = new ArrayList<>(args);
    List<String> opts = new ArrayList<>(stores.s3Options());
    for (String r : replaced) {
      opts.removeIf(o -> o.startsWith(r.substring(0, r.indexOf('=') + 1)));
      opts.add(r);
    }
    all.addAll(opts);
    return all;
  }

  @Test
  void missingBucketIsOneLineBeforeTheRun() {
    String err =
        oneLineError(
            s3(grouped("s3://no-such-bucket/in/events-a.parquet", tmp.resolve("e1").toString())),
            "--input: cannot read s3://no-such-bucket/in/events-a.parquet: ");
    assertTrue(err.contains("bucket does not exist"), err);
    assertFalse(Files.exists(tmp.resolve("e1")));
    err =
        oneLineError(
            s3(grouped(in.resolve("events-a.parquet").toString(), "s3://no-such-bucket/out")),
            "--output: cannot write in s3://no-such-bucket/out: ");
    assertTrue(err.contains("bucket does not exist"), err);
  }

  @Test
  void refusedCredentialsAreOneLineBeforeTheRun() {
    String input = "s3://" + RemoteStores.BUCKET + "/in/events-a.parquet";
    String err =
        oneLineError(
            s3(
                grouped(input, tmp.resolve("e2").toString()),
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\""
                    + RemoteStores.ACCESS_KEY
                    + "\",\"secretAccessKey\":\"wrong\"}"),
            "--input: cannot read " + input + ": ");
    assertTrue(err.contains("403") || err.contains("Signature"), err);
    assertFalse(Files.exists(tmp.resolve("e2")));
  }

  @Test
  void endpointThatRefusesOrNeverAnswersIsOneLineBeforeTheRun() throws Exception {
    String input = "s3://" + RemoteStores.BUCKET + "/in/events-a.parquet";
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String err =
        oneLineError(
            s3(
                grouped(input, tmp.resolve("e3").toString()),
                "--endpoint=http://127.0.0.1:" + closed),
            "--input: cannot read " + input + ": ");
    assertTrue(err.contains("refused"), err);
    // accepts connections (the backlog) but never answers: the check gives up after its timeout
    try (ServerSocket silent = new ServerSocket(0)) {
      err =
          oneLineError(
              s3(
                  grouped(input, tmp.resolve("e3").toString(), "--fileSystemTimeoutSeconds=2"),
                  "--endpoint=http://127.0.0.1:" + silent.getLocalPort()),
              "--input: cannot read " + input + ": no answer within 2 s");
    }
    assertFalse(Files.exists(tmp.resolve("e3")));
  }

  @Test
  void unknownNamenodeIsOneLineBeforeTheRun() {
    String input = "hdfs://no-such-namenode.invalid:8020/in/events-a.parquet";
    String err =
        oneLineError(
            grouped(input, tmp.resolve("e4").toString()), "--input: cannot read " + input + ": ");
    assertTrue(err.contains("no-such-namenode.invalid"), err);
    assertFalse(Files.exists(tmp.resolve("e4")));
    String output = "hdfs://no-such-namenode.invalid:8020/out";
    oneLineError(
        grouped(in.resolve("events-a.parquet").toString(), output),
        "--output: cannot write in " + output + ": ");
  }

  @Test
  void gcsIsRegisteredAndWithoutCredentialsIsOneLineBeforeTheRun() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    assertEquals("gs", FileSystems.matchNewResource("gs://bucket/x", false).getScheme());
    String input = "gs://rusket-no-credentials/in/events-a.parquet";
    oneLineError(
        grouped(input, tmp.resolve("e5").toString()),
        "--input: cannot read " + input + ": no Google Cloud credentials found");
    assertFalse(Files.exists(tmp.resolve("e5")));
  }

  /** The schema check reads the remote file's footer before the run, naming the remote file. */
  @Test
  void schemaCheckNamesTheRemoteFile() {
    for (Store store : List.of(Store.HDFS, Store.S3)) {
      for (String ext : List.of("parquet", "arrow", "csv")) {
        String file = root(store) + "/in/events-a." + ext;
        List<String> args = new ArrayList<>(grouped(file, root(store) + "/never-" + ext));
        args.add("--groupCol=no_such_column");
        args.remove("--groupCol=store_id");
        args.addAll(storeOptions(store));
        oneLineError(
            args, "Column 'no_such_column' is missing from " + file + "; columns present:");
      }
    }
  }

  @Test
  void mineSaysItReadsLocalFilesOnly() {
    Cli r =
        Cli.run("mine", "--input=s3://" + RemoteStores.BUCKET + "/in/x.dat", "--minSupport=0.1");
    assertEquals(Main.EXIT_USAGE, r.exitCode());
    assertEquals(
        "error: --input: s3://rusket/in/x.dat is not on this machine: mine reads and writes local"
            + " files (grouped and stream read and write hdfs://, s3:// and gs://; or copy the file"
            + " here first)",
        r.err().strip());
  }

  /** The help of each pipeline command lists the file systems and their options. */
  @Test
  void helpListsTheFileSystemsAndTheirOptions() {
    for (String command : List.of("grouped", "stream", "generate")) {
      Cli r = Cli.run(command, "--help");
      assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
      for (String s :
          List.of(
              "hdfs://NAMENODE:PORT/",
              "--hdfsConfiguration=",
              "s3://BUCKET/KEY",
              "--awsRegion=",
              "--endpoint=",
              "--s3PathStyleAccess",
              "--awsCredentialsProvider=",
              "gs://BUCKET/OBJECT",
              "--project=",
              "GOOGLE_APPLICATION_CREDENTIALS",
              "--fileSystemTimeoutSeconds=N")) {
        assertTrue(r.out().contains(s), () -> command + " --help lacks " + s + ":\n" + r.out());
      }
    }
  }

  @Test
  void unknownSchemeNamesTheSchemesThereAre() {
    String input = "abc://host/in/events-a.parquet";
    String err =
        oneLineError(
            grouped(input, tmp.resolve("e6").toString()),
            "--input: cannot read " + input + ": no file system for abc://");
    assertTrue(err.contains("s3://"), err);
  }
}
