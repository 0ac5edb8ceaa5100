package dev.probe.rows.transforms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.DirectByteBufferAllocator;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/** Parquet's file abstractions over Beam's {@link FileSystems}, so any registered scheme works. */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static InputFile inputFile(String path, long length) {
    ResourceId resource = FileSystems.matchNewResource(path, false);
    return new InputFile() {
      @Override
      public long getLength() {
        return length;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(resource);
        return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
          @Override
          public long getPos() throws IOException {
            return channel.position();
          }

          @Override
          public void seek(long newPos) throws IOException {
            channel.position(newPos);
          }
        };
      }

      @Override
      public String toString() {
        return path;
      }
    };
  }

  public static OutputFile outputFile(ResourceId resource) {
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) throws IOException {
        return new ChannelOutputStream(FileSystems.create(resource, MimeTypes.BINARY));
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return create(blockSizeHint);
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }

      @Override
      public String getPath() {
        return resource.toString();
      }
    };
  }

  /** {@code schema} in the Thrift form of a file's footer, which holds any schema a file can. */
  static byte[] schemaBytes(MessageType schema) {
    ParquetMetadata footer =
        new ParquetMetadata(new FileMetaData(schema, Map.of(), "probe-rows"), List.of());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      Util.writeFileMetaData(new ParquetMetadataConverter().toParquetMetadata(1, footer), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The schema {@link #schemaBytes} wrote. */
  static MessageType schemaFromBytes(byte[] bytes) {
    try {
      return new ParquetMetadataConverter()
          .readParquetMetadata(new ByteArrayInputStream(bytes))
          .getFileMetaData()
          .getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Smaller than Parquet's 128 MB default: each open writer buffers one row group in heap.
  private static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;

  /** A Snappy-compressed writer of {@code support}'s records to {@code file}. */
  static <T> ParquetWriter<T> writer(OutputFile file, WriteSupport<T> support) throws IOException {
    return new WriterBuilder<>(file, support)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withCodecFactory(new StreamingSnappy())
        // Page buffers off the heap: a probe row is written whole, and parquet-mr holds all of its
        // encoded values (about 30 bytes per event here) until the row ends; a giant key's row
        // must not exhaust the heap the rest of the job is sized in.
        .withAllocator(DirectByteBufferAllocator.getInstance())
        // A checksum is computed over a copy of each whole compressed page: for a giant row that
        // copy alone is hundreds of MB. Readers do not verify page checksums by default.
        .withPageWriteChecksumEnabled(false)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .build();
  }

  private static final class WriterBuilder<T> extends ParquetWriter.Builder<T, WriterBuilder<T>> {
    private final WriteSupport<T> support;

    WriterBuilder(OutputFile file, WriteSupport<T> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected WriterBuilder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration configuration) {
      return support;
    }
  }

  private static final class ChannelOutputStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    ChannelOutputStream(WritableByteChannel channel) {
      this.out = Channels.newOutputStream(channel);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
