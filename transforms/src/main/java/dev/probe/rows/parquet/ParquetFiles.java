package dev.probe.rows.parquet;

import dev.probe.rows.InvalidInputException;
import dev.probe.rows.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.DirectByteBufferAllocator;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopCodecs;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Parquet's file abstractions over Beam's {@link FileSystems}, so any registered scheme works.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class ParquetFiles {
  private ParquetFiles() {}

  static InputFile inputFile(String path, long length) {
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

  /**
   * Opens a file as every reader of a run does: page checksums are verified where the file has
   * them (a corrupt page is an error, never other values), LZ4 pages are read in either framing
   * ({@link Lz4EitherFraming}), and logical types this Parquet library does not know are read as
   * their physical type ({@link UnknownLogicalTypes}).
   */
  public static ParquetFileReader open(String path, long length) throws IOException {
    InputFile file = inputFile(path, length);
    try {
      return ParquetFileReader.open(file, readOptions());
    } catch (RuntimeException unconvertible) {
      InputFile known = UnknownLogicalTypes.removed(file);
      if (known == null) {
        throw unconvertible;
      }
      return ParquetFileReader.open(known, readOptions());
    }
  }

  /**
   * Reads the next row group of {@code reader}, whose columns are {@code columns} of the file at
   * {@code path}. When its pages cannot be read (a checksum, a dictionary), the column is found by
   * reading each alone, and named in an {@link FlatColumns.UndecodableColumn}.
   */
  static PageReadStore readRowGroup(
      ParquetFileReader reader, String path, long length, MessageType columns, int rowGroup)
      throws IOException {
    try {
      return reader.readNextRowGroup();
    } catch (IOException | RuntimeException e) {
      if (StorageException.causedByStore(e)) {
        throw e;
      }
      for (Type column : columns.getFields()) {
        try (ParquetFileReader alone = open(path, length)) {
          alone.setRequestedSchema(new MessageType(columns.getName(), column));
          for (int i = 0; i < rowGroup; i++) {
            alone.skipNextRowGroup();
          }
          alone.readNextRowGroup();
        } catch (IOException | RuntimeException unreadable) {
          throw new FlatColumns.UndecodableColumn(column.getName(), e);
        }
      }
      throw e;
    }
  }

  /**
   * Hadoop's configuration, read once for every file: a new one parses Hadoop's default files at
   * its first lookup, which costs more than reading a small file's footer.
   */
  private static final ParquetConfiguration HADOOP_CONFIGURATION =
      new HadoopParquetConfiguration(new Configuration());

  private static ParquetReadOptions readOptions() {
    return ParquetReadOptions.builder(HADOOP_CONFIGURATION)
        .usePageChecksumVerification(true)
        .withCodecFactory(
            new ReadableCodecs(HadoopCodecs.newFactory(HADOOP_CONFIGURATION, 0)))
        .build();
  }

  /**
   * Whether Parquet's reader or a codec, not this project's code, threw {@code failure}: then the
   * file does not decode as its footer says (a corrupt page, a bad dictionary, an encrypted
   * column), an input error.
   */
  static boolean thrownByDecoder(Throwable failure) {
    for (StackTraceElement frame : failure.getStackTrace()) {
      String type = frame.getClassName();
      if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
        continue;
      }
      return DECODERS.stream().anyMatch(type::startsWith);
    }
    return false;
  }

  private static final List<String> DECODERS =
      List.of(
          "org.apache.parquet.",
          "shaded.parquet.",
          "io.airlift.compress.",
          "org.xerial.snappy.",
          "com.github.luben.zstd.",
          "org.apache.hadoop.io.compress.",
          "org.apache.commons.compress.",
          "org.brotli.",
          "dev.probe.rows.parquet.Lz4EitherFraming",
          "dev.probe.rows.parquet.ReadableCodecs",
          "dev.probe.rows.parquet.UnknownLogicalTypes");

  /**
   * What reading {@code what} (a file, or a slice of one) failed of: the store, the file's data (a
   * column named where known), or, for anything else, {@code failure} itself.
   */
  static RuntimeException readFailure(String what, Exception failure) {
    if (failure instanceof InvalidInputException || failure instanceof StorageException) {
      return (RuntimeException) failure;
    }
    if (StorageException.causedByStore(failure)) {
      return new StorageException("cannot read " + what, failure);
    }
    if (failure instanceof FlatColumns.UndecodableColumn) {
      return new InvalidInputException(
          "cannot read " + what + ", " + failure.getMessage(), failure);
    }
    if (failure instanceof IOException
        || failure instanceof ParquetDecodingException
        || thrownByDecoder(failure)) {
      return new InvalidInputException("cannot read " + what + ": " + reason(failure), failure);
    }
    return (RuntimeException) failure;
  }

  /** Why a file does not decode, in words for its user, without Java's class names. */
  public static String reason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getName().contains(".crypto.")) {
        return "the file is encrypted; probe-rows reads no encrypted Parquet files";
      }
    }
    String message = String.valueOf(failure.getMessage()).lines().findFirst().orElse("").trim();
    // Thrift: "can not read class org.apache.parquet.format.FileMetaData: Required field ...".
    message =
        message
            .replaceFirst("can not read class org\\.apache\\.parquet\\.format\\.(\\w+)", "its $1")
            .replaceFirst(" Struct: .*", "");
    if (failure.getMessage() == null || message.contains("org.apache.") || message.contains("java.")) {
      return "the data does not decode (corrupt, or not as the footer describes it)";
    }
    return message;
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
  public static byte[] schemaBytes(MessageType schema) {
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
  public static MessageType schemaFromBytes(byte[] bytes) {
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
  public static <T> ParquetWriter<T> writer(OutputFile file, WriteSupport<T> support)
      throws IOException {
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
