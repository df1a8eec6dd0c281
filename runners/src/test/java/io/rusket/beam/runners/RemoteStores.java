package io.rusket.beam.runners;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real HDFS and a real S3 API on 127.0.0.1 for the file-system tests, started by the test: HDFS
 * from Hadoop's own {@link MiniDFSCluster} (one namenode, one datanode, in this JVM, over a
 * temporary directory) and S3 from S3Proxy (its self-contained jar, property {@code
 * rusket.s3proxyJar}, as a process of its own over jclouds' filesystem blob store in a temporary
 * directory, AWS v4 signatures with a fixed key). Files are put and fetched with each store's own
 * client (Hadoop's FileSystem, the AWS SDK's S3Client), not with Beam's file systems under test.
 * One instance per test class: {@link #close()} stops both, also after a failed start.
 */
final class RemoteStores implements AutoCloseable {
  static final String BUCKET = "rusket";
  static final String ACCESS_KEY = "rusket-access";
  static final String SECRET_KEY = "rusket-secret";

  private final MiniDFSCluster hdfs;
  private final FileSystem hdfsClient;
  private final Process s3;
  private final int s3Port;
  private final S3Client s3Client;

  private RemoteStores(
      MiniDFSCluster hdfs, FileSystem hdfsClient, Process s3, int s3Port, S3Client s3Client) {
    this.hdfs = hdfs;
    this.hdfsClient = hdfsClient;
    this.s3 = s3;
    this.s3Port = s3Port;
    this.s3Client = s3Client;
  }

  /** Starts both stores with their data under {@code dir}; the bucket {@link #BUCKET} exists. */
  static RemoteStores start(Path dir) throws Exception {
    MiniDFSCluster hdfs = null;
    Process s3 = null;
    try {
      Configuration conf = new Configuration();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
      conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
      conf.set("dfs.namenode.http-address", "127.0.0.1:0");
      conf.set("dfs.datanode.address", "127.0.0.1:0");
      conf.set("dfs.datanode.http.address", "127.0.0.1:0");
      conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
      hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
      hdfs.waitActive();
      int port = freePort();
      s3 = startS3Proxy(dir.resolve("s3"), port);
      S3Client client =
          S3Client.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(URI.create("http://127.0.0.1:" + port))
              .forcePathStyle(true)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
              .build();
      client.createBucket(b -> b.bucket(BUCKET));
      return new RemoteStores(hdfs, hdfs.getFileSystem(), s3, port, client);
    } catch (Exception | Error e) {
      if (s3 != null) {
        stop(s3);
      }
      if (hdfs != null) {
        hdfs.shutdown(true);
      }
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code java -jar s3proxy.jar} on 127.0.0.1:{@code port}, once it accepts connections. */
  private static Process startS3Proxy(Path dir, int port) throws Exception {
    String jar = System.getProperty("rusket.s3proxyJar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "S3Proxy's jar not found (system property rusket.s3proxyJar="
              + jar
              + "): run the tests"
              + " with Maven, which copies it to runners/target/s3proxy/");
    }
    Files.createDirectories(dir.resolve("blobs"));
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            // Beam's S3 client sends x-amz-server-side-encryption-bucket-key-enabled, which
            // S3Proxy does not implement (AWS's S3 does)
            "s3proxy.ignore-unknown-headers=true",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + dir.resolve("blobs")),
        StandardCharsets.UTF_8);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(), "-Xmx256m", "-jar", jar, "--properties", props.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "S3Proxy exited with "
                + p.exitValue()
                + ": "
                + Files.readString(dir.resolve("s3proxy.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return p;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    stop(p);
    throw new IllegalStateException("S3Proxy did not listen on 127.0.0.1:" + port + " in 60 s");
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code hdfs://127.0.0.1:PORT}, the namenode. */
  String hdfsUri() {
    return "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
  }

  /** {@code http://127.0.0.1:PORT}, the S3 endpoint. */
  String s3Endpoint() {
    return "http://127.0.0.1:" + s3Port;
  }

  /** The options that make Beam's S3 file system talk to this store. */
  List<String> s3Options() {
    return List.of(
        "--awsRegion=us-east-1",
        "--endpoint=" + s3Endpoint(),
        "--s3PathStyleAccess",
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
            + ACCESS_KEY
            + "\",\"secretAccessKey\":\""
            + SECRET_KEY
            + "\"}");
  }

  /** Copies a local file to HDFS {@code path} (absolute, e.g. /in/x.parquet). */
  void putHdfs(Path local, String path) throws IOException {
    try (InputStream in = Files.newInputStream(local);
        OutputStream out = hdfsClient.create(new org.apache.hadoop.fs.Path(path), true)) {
      in.transferTo(out);
    }
  }

  /** Copies a local file to {@code s3://BUCKET/key}. */
  void putS3(Path local, String key) {
    s3Client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(local));
  }

  /**
   * Copies every file under HDFS {@code path} to {@code local} (same relative names).
   *
   * @return the relative names, sorted
   */
  List<String> getHdfs(String path, Path local) throws IOException {
    List<String> names = new ArrayList<>();
    org.apache.hadoop.fs.Path root = hdfsClient.makeQualified(new org.apache.hadoop.fs.Path(path));
    RemoteIterator<LocatedFileStatus> it = hdfsClient.listFiles(root, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      String rel = root.toUri().relativize(f.getPath().toUri()).getPath();
      Path to = local.resolve(rel);
      Files.createDirectories(to.getParent());
      try (InputStream in = hdfsClient.open(f.getPath())) {
        Files.copy(in, to);
      }
      names.add(rel);
    }
    names.sort(null);
    return names;
  }

  /** Whether HDFS has anything (a file or a directory) at {@code path}. */
  boolean hdfsHas(String path) throws IOException {
    return hdfsClient.exists(new org.apache.hadoop.fs.Path(path));
  }

  /** The directory entries of HDFS {@code path}, recursively (files and directories). */
  List<String> hdfsTree(String path) throws IOException {
    List<String> all = new ArrayList<>();
    org.apache.hadoop.fs.Path root = hdfsClient.makeQualified(new org.apache.hadoop.fs.Path(path));
    tree(root, root, all);
    all.sort(null);
    return all;
  }

  private void tree(org.apache.hadoop.fs.Path root, org.apache.hadoop.fs.Path p, List<String> all)
      throws IOException {
    for (FileStatus f : hdfsClient.listStatus(p)) {
      all.add(
          root.toUri().relativize(f.getPath().toUri()).getPath() + (f.isDirectory() ? "/" : ""));
      if (f.isDirectory()) {
        tree(root, f.getPath(), all);
      }
    }
  }

  /**
   * Copies every object under {@code s3://BUCKET/prefix} to {@code local} (names after the prefix).
   *
   * @return the relative names, sorted
   */
  List<String> getS3(String prefix, Path local) throws IOException {
    List<String> names = new ArrayList<>();
    for (S3Object o :
        s3Client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()) {
      if (o.key().endsWith("/")) {
        continue; // a folder marker
      }
      String rel = o.key().substring(prefix.length());
      Path to = local.resolve(rel);
      Files.createDirectories(to.getParent());
      try (InputStream in = s3Client.getObject(b -> b.bucket(BUCKET).key(o.key()))) {
        Files.copy(in, to);
      }
      names.add(rel);
    }
    names.sort(null);
    return names;
  }

  @Override
  public void close() throws Exception {
    try {
      s3Client.close();
      stop(s3);
    } finally {
      hdfs.shutdown(true);
    }
  }
}
