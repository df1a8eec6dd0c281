package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over a file of any of Beam's file systems (local, HDFS, S3, GCS): its
 * length from the match, its stream a Beam seekable channel, so Parquet's readers (footers, row
 * groups, {@code AvroParquetReader}) read it without Hadoop's file systems. The project's one such
 * adapter: the pipelines' Parquet sources and the report's result files use it.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * try (ParquetFileReader reader =
 *     ParquetFileReader.open(new BeamInputFile(FileSystems.matchSingleFileSpec(path)))) { ... }
 * }</pre>
 */
public final class BeamInputFile implements InputFile {
  private final Metadata md;

  /** The file {@code md} names (as {@link FileSystems#match} returns it). */
  public BeamInputFile(Metadata md) {
    this.md = md;
  }

  @Override
  public long getLength() {
    return md.sizeBytes();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(md.resourceId());
    return new DelegatingSeekableInputStream(Channels.newInputStream(ch)) {
      @Override
      public long getPos() throws IOException {
        return ch.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        ch.position(newPos);
      }
    };
  }
}
