package io.rusket.beam.runners;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client (region, {@code --endpoint}, credentials, HTTP settings: {@link
 * DefaultS3ClientBuilderFactory}) with path-style addressing when {@link
 * FileSystemOptions#getS3PathStyleAccess()} is on. {@link FileSystemSetup} makes it the {@code
 * --s3ClientFactoryClass} unless one is given; the workers build their clients with it too (the
 * options travel with the pipeline).
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  /** Beam instantiates it by its class name. */
  public PathStyleS3ClientBuilderFactory() {}

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(options);
    return options.as(FileSystemOptions.class).getS3PathStyleAccess()
        ? builder.forcePathStyle(true)
        : builder;
  }
}
