package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jars on remote file systems, each in a JVM of its own as users run them: the bundled
 * jar ({@code java -jar rusket-beam.jar}) and the cluster jar on Spark's classpath (as spark-submit
 * runs a driver) read from and write to a real HDFS and a real S3 API on 127.0.0.1 ({@link
 * RemoteStores}, started once for the class), with results equal to the bundled jar's run on local
 * files; both register gs:// and refuse it without credentials in one line. Runs in {@code verify},
 * after {@code package}.
 */
class RemoteFileSystemsJarIT {
  @TempDir static Path tmp;
  private static RemoteStores stores;
  private static Path events;

  @BeforeAll
  static void start() throws Exception {
    Path gen = tmp.resolve("gen");
    GenerateData.write(
        GenerateData.generate(
            Config.of(9)
                .withStores(3)
                .withTransactions(500)
                .withItems(30)
                .withItemNameColumn(true)),
        gen,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
    events = gen.resolve("events.parquet");
    stores = RemoteStores.start(tmp.resolve("stores"));
    stores.putHdfs(events, "/in/events.parquet");
    stores.putS3(gen.resolve("events.arrow"), "in/events.arrow");
  }

  @AfterAll
  static void stop() throws Exception {
    if (stores != null) {
      stores.close();
    }
  }

  private static final List<String> GROUPED =
      List.of(
          "grouped",
          "--groupCol=store_id",
          "--txnCol=transaction_id",
          "--itemCol=item",
          "--minSupport=0.05",
          "--rules",
          "--numShards=2",
          "--quiet");

  private record Run(int exitCode, String out, String err) {}

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "target/" + property));
    assertTrue(Files.isRegularFile(jar), () -> "jar not built: " + jar);
    return jar.toAbsolutePath();
  }

  /** {@code java -jar rusket-beam.jar ARGS}. */
  private static Run bundled(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar("rusket.jar").toString()));
    command.addAll(args);
    return run(command);
  }

  /** The cluster jar's Main on Spark's classpath, with the Java 17 flags, as spark-submit does. */
  private static Run cluster(List<String> args) throws Exception {
    String sparkClasspath = System.getProperty("rusket.sparkClasspath", "");
    assertTrue(sparkClasspath.contains("spark-core_"), "failsafe passes rusket.sparkClasspath");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(List.of(System.getProperty("rusket.addOpens").trim().split("\\s+")));
    command.add("-cp");
    command.add(jar("rusket.clusterJar") + File.pathSeparator + sparkClasspath);
    command.add(Main.class.getName());
    command.addAll(args);
    return run(command);
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "stdout", ".txt");
    Path err = Files.createTempFile(tmp, "stderr", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> args(String input, String output, String... more) {
    List<String> a = new ArrayList<>(GROUPED);
    a.add("--input=" + input);
    a.add("--output=" + output);
    a.addAll(Arrays.asList(more));
    return a;
  }

  private static List<String> s3(List<String> args) {
    List<String> a = new ArrayList<>(args);
    a.addAll(stores.s3Options());
    return a;
  }

  /** The result on local files, the reference: the same command in this JVM on the DirectRunner. */
  private static Map<String, List<String>> local(Path input, String name, String... more) {
    Path out = tmp.resolve("local-" + name);
    List<String> a = args(input.toString(), out.toString(), more);
    a.add("--runner=DirectRunner");
    Cli r = Cli.run(a.toArray(new String[0]));
    assertEquals(0, r.exitCode(), r::err);
    Map<String, List<String>> files = OutputFiles.of(out);
    assertFalse(OutputFiles.byDirectory(files).get("itemsets").isEmpty());
    return files;
  }

  private static void sameRows(Map<String, List<String>> expected, Path fetched) {
    Map<String, List<String>> got = OutputFiles.of(fetched);
    assertEquals(expected.keySet(), got.keySet(), "result files");
    assertEquals(OutputFiles.byDirectory(expected), OutputFiles.byDirectory(got));
  }

  @Test
  void bundledJarReadsAndWritesHdfs() throws Exception {
    String out = stores.hdfsUri() + "/out/bundled";
    Run r = bundled(args(stores.hdfsUri() + "/in/*.parquet", out, "--outputFormat=jsonl"));
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(r.out().contains(" output=" + out + " "), r::out);
    Path fetched = tmp.resolve("fetched-hdfs-bundled");
    stores.getHdfs("/out/bundled", fetched);
    sameRows(local(events, "jsonl", "--outputFormat=jsonl"), fetched);
  }

  @Test
  void bundledJarReadsAndWritesS3() throws Exception {
    Run r =
        bundled(
            s3(
                args(
                    "s3://" + RemoteStores.BUCKET + "/in/events.arrow",
                    "s3://" + RemoteStores.BUCKET + "/out/bundled",
                    "--outputFormat=parquet",
                    "--runner=DirectRunner")));
    assertEquals(0, r.exitCode(), r::err);
    Path fetched = tmp.resolve("fetched-s3-bundled");
    stores.getS3("out/bundled/", fetched);
    sameRows(
        local(events.resolveSibling("events.arrow"), "parquet", "--outputFormat=parquet"), fetched);
  }

  @Test
  void clusterJarOnSparksClasspathReadsAndWritesHdfsAndS3() throws Exception {
    String hdfsOut = stores.hdfsUri() + "/out/cluster";
    Run r =
        cluster(
            args(
                stores.hdfsUri() + "/in/events.parquet",
                hdfsOut,
                "--outputFormat=csv",
                "--sparkMaster=local[2]"));
    assertEquals(0, r.exitCode(), r::err);
    Path fetched = tmp.resolve("fetched-hdfs-cluster");
    stores.getHdfs("/out/cluster", fetched);
    sameRows(local(events, "csv", "--outputFormat=csv"), fetched);

    r =
        cluster(
            s3(
                args(
                    "s3://" + RemoteStores.BUCKET + "/in/events.arrow",
                    "s3://" + RemoteStores.BUCKET + "/out/cluster",
                    "--outputFormat=jsonl",
                    "--sparkMaster=local[2]")));
    assertEquals(0, r.exitCode(), r::err);
    fetched = tmp.resolve("fetched-s3-cluster");
    stores.getS3("out/cluster/", fetched);
    sameRows(
        local(events.resolveSibling("events.arrow"), "jsonl2", "--outputFormat=jsonl"), fetched);
  }

  /** gs:// is registered in both jars; without credentials, one line before the run. */
  @Test
  void gcsWithoutCredentialsIsOneLineInBothJars() throws Exception {
    String input = "gs://rusket-no-credentials/in/events.parquet";
    for (boolean clusterJar : new boolean[] {false, true}) {
      List<String> a = args(input, tmp.resolve("gs-out-" + clusterJar).toString());
      a.add("--runner=DirectRunner");
      Run r = clusterJar ? cluster(a) : bundled(a);
      assertEquals(Main.EXIT_USAGE, r.exitCode(), r::err);
      assertEquals(
          "error: --input: cannot read " + input + ": no Google Cloud credentials found",
          r.err().strip().replaceFirst(" \\(set GOOGLE_APPLICATION_CREDENTIALS.*$", ""),
          r::err);
      assertEquals(1, r.err().strip().lines().count(), r::err);
    }
    for (String property : List.of("rusket.jar", "rusket.clusterJar")) {
      // The registrars the jar's class loader finds: in the cluster jar one merged service file;
      // the bundled jar's libraries (lib/, by its Class-Path) keep a file each.
      try (URLClassLoader jar =
          new URLClassLoader(
              new URL[] {jar(property).toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
        StringBuilder found = new StringBuilder();
        for (URL u :
            Collections.list(
                jar.getResources("META-INF/services/org.apache.beam.sdk.io.FileSystemRegistrar"))) {
          try (InputStream in = u.openStream()) {
            found.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
          }
        }
        String registrars = found.toString();
        for (String fs :
            List.of(
                "org.apache.beam.sdk.io.hdfs.HadoopFileSystemRegistrar",
                "org.apache.beam.sdk.io.aws2.s3.S3FileSystemRegistrar",
                "org.apache.beam.sdk.extensions.gcp.storage.GcsFileSystemRegistrar")) {
          assertTrue(registrars.contains(fs), () -> property + ": " + fs + " in " + registrars);
        }
      }
    }
  }
}
