package io.rusket.beam.runners;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.hadoop.conf.Configuration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The file systems of {@code --input} and {@code --output} beyond the local one: {@code hdfs://}
 * (Beam's Hadoop file system; also {@code webhdfs://}, {@code viewfs://}), {@code s3://} (Beam's
 * AWS SDK v2 file system) and {@code gs://} (Beam's GCS), set up once per command from the parsed
 * options, and checked before the pipeline runs, so that a missing bucket, wrong credentials or an
 * endpoint that does not answer is one line naming the option and the path, within {@link
 * FileSystemOptions#getFileSystemTimeoutSeconds()}, instead of a failure in the middle of the run.
 *
 * <ul>
 *   <li>{@code hdfs://NAMENODE:PORT/...} without {@code --hdfsConfiguration} (and no {@code
 *       HADOOP_CONF_DIR}/{@code YARN_CONF_DIR}, which Beam reads): a Hadoop configuration whose
 *       {@code fs.defaultFS} is that namenode, so the scheme is registered (Beam registers Hadoop
 *       file systems only for the scheme of {@code fs.defaultFS}).
 *   <li>{@code s3://}: the S3 client of {@link PathStyleS3ClientBuilderFactory} (Beam's, plus
 *       {@code --s3PathStyleAccess}) unless {@code --s3ClientFactoryClass} is given. Without an
 *       {@code s3://} path or {@code --awsRegion}, no AWS region is looked up ({@link #usesS3}).
 *   <li>{@code gs://}: no Google credentials is an error here (Beam would go on without them and
 *       fail, or wait, in the run).
 * </ul>
 *
 * <p>Example of use, as {@link RunnerSetup#optionsFrom} and {@link PipelineRun} do:
 *
 * <pre>{@code
 * FileSystemSetup.apply(options, args);
 * FileSystemSetup.checkInput(options, "s3://bucket/events/*.parquet");   // throws UsageException
 * FileSystemSetup.checkOutput(options, "hdfs://nn:8020/results");
 * }</pre>
 */
final class FileSystemSetup {
  /** The schemes Beam's Hadoop file system serves (the HA ones and that of fs.defaultFS). */
  static final Set<String> HADOOP_SCHEMES = Set.of("hdfs", "webhdfs", "viewfs");

  private static final String DEFAULT_FS = "fs.defaultFS";

  private static final Pattern URL = CliArgs.URL;

  private FileSystemSetup() {}

  /**
   * Completes {@code options} for the remote paths among the {@code --input} and {@code --output}
   * of {@code args} (see the class comment) and registers the file systems with Beam ({@link
   * FileSystems#setDefaultPipelineOptions}).
   */
  static void apply(PipelineOptions options, String[] args) {
    URI hadoop = null;
    for (String arg : args) {
      for (String option : List.of("--input=", "--output=")) {
        if (arg.startsWith(option) && hadoop == null) {
          URI uri = uri(arg.substring(option.length()));
          if (uri != null && HADOOP_SCHEMES.contains(scheme(uri)) && uri.getAuthority() != null) {
            hadoop = uri;
          }
        }
      }
    }
    if (hadoop != null) {
      HadoopFileSystemOptions h = options.as(HadoopFileSystemOptions.class);
      List<Configuration> confs = h.getHdfsConfiguration();
      String namenode = scheme(hadoop) + "://" + hadoop.getAuthority();
      if (confs == null || confs.isEmpty()) {
        Configuration c = new Configuration(false);
        c.set(DEFAULT_FS, namenode);
        h.setHdfsConfiguration(new ArrayList<>(List.of(c)));
      } else if (confs.size() == 1 && confs.get(0).get(DEFAULT_FS) == null) {
        confs.get(0).set(DEFAULT_FS, namenode);
      }
    }
    S3Options s3 = options.as(S3Options.class);
    if (!usesS3(args)) {
      s3.setAwsRegion(null);
    }
    if (s3.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      s3.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    try {
      FileSystems.setDefaultPipelineOptions(options);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException("file systems: " + ErrorReport.oneLine(e.getMessage()), e);
    }
  }

  /**
   * Whether the command may touch S3: an argument names an {@code s3://} path (the scheme in any
   * case) or gives {@code --awsRegion}. When not, {@link #apply} sets the region to none (null)
   * instead of leaving it to its default. Why: Beam registers its S3 file system with the others on
   * every {@link FileSystems#setDefaultPipelineOptions}, which builds an S3 client configuration
   * and so asks the AWS region chain ({@code $AWS_REGION}, {@code ~/.aws/config}, then the EC2
   * instance metadata service); on a machine outside EC2 the last answers only after its retries,
   * about 1.5 s of sleeping, paid by every command and again by every pipeline whose options do not
   * carry the answer. A job without an S3 path never builds an S3 client, so no region is needed.
   */
  static boolean usesS3(String[] args) {
    for (String arg : args) {
      if (arg.toLowerCase(Locale.ROOT).contains("s3://") || arg.startsWith("--awsRegion")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code path} is on a file system other than the local one ({@code scheme://...}). */
  static boolean isRemote(@Nullable String path) {
    return CliArgs.isRemote(path);
  }

  /**
   * Checks a remote {@code --input} (a file or a glob) before the run: that it can be listed (the
   * bucket or namenode answers and the credentials are accepted). A pattern that matches nothing in
   * a readable place passes: the source says so, naming it.
   *
   * @throws UsageException naming {@code --input}, the path and the file system's reason, or the
   *     timeout
   */
  static void checkInput(PipelineOptions options, String input) {
    bounded(
        options,
        "--input",
        "cannot read",
        input,
        () -> {
          registered(input);
          credentials(options, input);
          MatchResult m = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
          List<MatchResult.Metadata> found = metadata(m);
          if (found.isEmpty()) {
            // A missing object of a missing bucket is a plain "not found" on S3: list its folder,
            // which names a missing bucket or refused credentials.
            int slash = input.lastIndexOf('/');
            if (slash > input.indexOf("://") + 2) {
              metadata(
                  FileSystems.match(
                      input.substring(0, slash + 1) + "*", EmptyMatchTreatment.ALLOW));
            }
          }
          return null;
        });
  }

  /**
   * Checks a remote {@code --output} before the run: writes an empty probe file in it and deletes
   * it (the bucket exists, the credentials may write, the namenode answers).
   *
   * @throws UsageException naming {@code --output}, the path and the file system's reason, or the
   *     timeout
   */
  static void checkOutput(PipelineOptions options, String output) {
    bounded(
        options,
        "--output",
        "cannot write in",
        output,
        () -> {
          registered(output);
          credentials(options, output);
          ResourceId probe =
              FileSystems.matchNewResource(output, true)
                  .resolve(
                      ".rusket-write-check-" + UUID.randomUUID(),
                      StandardResolveOptions.RESOLVE_FILE);
          try (WritableByteChannel ch = FileSystems.create(probe, MimeTypes.BINARY)) {
            // empty
          }
          FileSystems.delete(List.of(probe), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
          return null;
        });
  }

  private interface Check {
    @Nullable Void run() throws Exception;
  }

  /** Runs {@code check} in a daemon thread, at most the options' timeout. */
  private static void bounded(
      PipelineOptions options, String option, String verb, String path, Check check) {
    int seconds = options.as(FileSystemOptions.class).getFileSystemTimeoutSeconds();
    ExecutorService ex =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "rusket-file-system-check");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Void> f = ex.submit(check::run);
      f.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new UsageException(
          option
              + ": "
              + verb
              + " "
              + path
              + ": no answer within "
              + seconds
              + " s (is the endpoint or namenode reachable? --fileSystemTimeoutSeconds sets the"
              + " wait)",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UsageException u) {
        throw new UsageException(option + ": " + verb + " " + path + ": " + u.getMessage(), u);
      }
      throw new UsageException(option + ": " + verb + " " + path + ": " + reason(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException(option + ": interrupted while checking " + path, e);
    } finally {
      ex.shutdownNow();
    }
  }

  /** The metadata of {@code m}, or its error. */
  private static List<MatchResult.Metadata> metadata(MatchResult m) throws IOException {
    return m.status() == MatchResult.Status.NOT_FOUND ? List.of() : m.metadata();
  }

  /**
   * That the scheme of {@code path} has a file system (Beam: "No filesystem found for scheme X"),
   * as a usage error naming the schemes there are.
   */
  private static void registered(String path) {
    String root = path.replaceFirst("^([^:/]+://[^/]*).*$", "$1/");
    try {
      FileSystems.matchNewResource(root, true);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "no file system for "
              + root.substring(0, root.indexOf(':'))
              + ":// (there are file://, hdfs://, webhdfs://, viewfs://, s3:// and gs://; for"
              + " hdfs:// give the namenode, hdfs://HOST:PORT/..., or --hdfsConfiguration)",
          e);
    }
  }

  /** gs://: Google credentials must be found (Beam goes on without them). */
  private static void credentials(PipelineOptions options, String path) {
    if (path.toLowerCase(Locale.ROOT).startsWith("gs://")
        && options.as(GcpOptions.class).getGcpCredential() == null) {
      throw new UsageException(
          "no Google Cloud credentials found (set GOOGLE_APPLICATION_CREDENTIALS to a service"
              + " account key file, or run gcloud auth application-default login)");
    }
  }

  /**
   * Why a check failed, on one line: the innermost exception with a message (the file system's own:
   * "The specified bucket does not exist", "Connection refused", an unknown host), its class named
   * when the message alone says little.
   */
  static String reason(Throwable t) {
    Throwable best = t;
    Map<Throwable, Boolean> seen = new java.util.IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        best = c;
      }
    }
    String m = ErrorReport.firstLine(String.valueOf(best.getMessage()));
    String name = best.getClass().getSimpleName();
    return m.contains(" ") ? m : name + ": " + m;
  }

  private static @Nullable URI uri(String path) {
    try {
      return URL.matcher(path).matches() ? URI.create(path.replaceAll("[*?\\[\\]{}]", "x")) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String scheme(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT);
  }
}
