package io.rusket.beam.runners;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * The options of ours for remote {@code --input} and {@code --output} paths, beside Beam's own
 * (Hadoop's {@code --hdfsConfiguration}, AWS's {@code --awsRegion}, {@code --endpoint}, {@code
 * --awsCredentialsProvider}, GCP's {@code --project}, ...): path-style S3 addressing for
 * S3-compatible stores and the bound on the checks made before a run ({@link FileSystemSetup}).
 * Every pipeline command takes them; README, "File systems".
 */
public interface FileSystemOptions extends PipelineOptions {
  /** Default of {@link #getFileSystemTimeoutSeconds()}. */
  int DEFAULT_TIMEOUT_SECONDS = 60;

  @Description(
      "s3://: address buckets as ENDPOINT/BUCKET/KEY (path style) instead of BUCKET.ENDPOINT/KEY;"
          + " S3-compatible stores (MinIO, Ceph, S3Proxy) reached by --endpoint need it")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);

  @Description(
      "How long the checks before the run (listing --input, writing a probe file in --output) wait"
          + " for an hdfs://, s3:// or gs:// path to answer, in seconds")
  @Default.Integer(DEFAULT_TIMEOUT_SECONDS)
  int getFileSystemTimeoutSeconds();

  void setFileSystemTimeoutSeconds(int value);

  /**
   * Registers {@link FileSystemOptions} with Beam (by the service file
   * META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar), so every parser knows
   * them.
   */
  final class Registrar implements PipelineOptionsRegistrar {
    @Override
    public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
      return List.of(FileSystemOptions.class);
    }
  }
}
