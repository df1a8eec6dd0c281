package io.rusket.beam.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS on 127.0.0.1 for the cluster's jobs: Hadoop's own {@link MiniDFSCluster} (one
 * namenode, one datanode, in the test JVM, over a temporary directory; every address on loopback,
 * ports chosen free). Files are put and fetched with Hadoop's {@link FileSystem} client, not with
 * the code under test. {@link #close()} stops it; {@link #start} stops what it started if it fails.
 *
 * <pre>{@code
 * try (TestHdfs hdfs = TestHdfs.start(dir)) {
 *   hdfs.put(local, "/in/events.parquet");
 *   // ... a job reads hdfs.uri() + "/in/events.parquet", writes hdfs.uri() + "/out" ...
 *   hdfs.get("/out", fetched);
 * }
 * }</pre>
 */
final class TestHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;
  private final FileSystem client;

  private TestHdfs(MiniDFSCluster cluster, FileSystem client) {
    this.cluster = cluster;
    this.client = client;
  }

  /** Starts a namenode and a datanode with their storage under {@code dir}. */
  static TestHdfs start(Path dir) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    MiniDFSCluster cluster = null;
    try {
      cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
      cluster.waitActive();
      return new TestHdfs(cluster, cluster.getFileSystem());
    } catch (IOException | RuntimeException | Error e) {
      if (cluster != null) {
        cluster.shutdown(true);
      }
      throw e;
    }
  }

  /** {@code hdfs://127.0.0.1:PORT}, the namenode. */
  String uri() {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  /** Copies the local file {@code local} to HDFS {@code path} (absolute, e.g. /in/x.parquet). */
  void put(Path local, String path) throws IOException {
    try (InputStream in = Files.newInputStream(local);
        OutputStream out = client.create(new org.apache.hadoop.fs.Path(path), false)) {
      in.transferTo(out);
    }
  }

  /**
   * Copies every file under HDFS {@code path} to the local directory {@code local} (same relative
   * names; {@code local} must not exist yet).
   *
   * @return the relative names, sorted
   */
  List<String> get(String path, Path local) throws IOException {
    Files.createDirectories(local);
    List<String> names = new ArrayList<>();
    org.apache.hadoop.fs.Path root = client.makeQualified(new org.apache.hadoop.fs.Path(path));
    RemoteIterator<LocatedFileStatus> it = client.listFiles(root, true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      String rel = root.toUri().relativize(f.getPath().toUri()).getPath();
      Path to = local.resolve(rel);
      Files.createDirectories(to.getParent());
      try (InputStream in = client.open(f.getPath())) {
        Files.copy(in, to);
      }
      names.add(rel);
    }
    names.sort(null);
    return names;
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
