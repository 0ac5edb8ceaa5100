package dev.probe.rows.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ParquetDecodingException;
import org.brotli.dec.BrotliInputStream;

/**
 * Every codec a Parquet file may name, as this project reads it: LZ4 in either framing ({@link
 * Lz4EitherFraming}); Brotli, which Hadoop's codecs lack, with Google's decoder; LZO, which no
 * library here decodes, refused by its name (Hadoop's factory would name a class it could not
 * find); every other codec {@code delegate}'s.
 */
final class ReadableCodecs implements CompressionCodecFactory {
  private final CompressionCodecFactory delegate;

  ReadableCodecs(CompressionCodecFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return delegate.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    switch (codec) {
      case LZ4:
        return new WholePages(Lz4EitherFraming::decompress);
      case BROTLI:
        return new WholePages(ReadableCodecs::brotli);
      case LZO:
        throw new ParquetDecodingException(
            "compressed with LZO, which cannot be read here (uncompressed, Snappy, gzip, Brotli,"
                + " LZ4, LZ4_RAW and ZSTD can)");
      default:
        return delegate.getDecompressor(codec);
    }
  }

  @Override
  public void release() {
    delegate.release();
  }

  /** Decompresses a Brotli page into exactly {@code size} bytes, or fails. */
  static byte[] brotli(byte[] input, int size) throws IOException {
    byte[] output = new byte[size];
    try (InputStream pages = new BrotliInputStream(new ByteArrayInputStream(input))) {
      int read = 0;
      while (read < size) {
        int n = pages.read(output, read, size - read);
        if (n < 0) {
          throw new IOException("a Brotli page holds fewer bytes than its header says");
        }
        read += n;
      }
      if (pages.read() >= 0) {
        throw new IOException("a Brotli page holds more bytes than its header says");
      }
    }
    return output;
  }

  /** Decompresses one page, all of it in memory, into exactly {@code size} bytes, or fails. */
  @FunctionalInterface
  interface PageCodec {
    byte[] decompress(byte[] input, int size) throws IOException;
  }

  private static final class WholePages implements BytesInputDecompressor {
    private final PageCodec codec;

    WholePages(PageCodec codec) {
      this.codec = codec;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      return BytesInput.from(codec.decompress(bytes.toByteArray(), uncompressedSize));
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      byte[] compressed = new byte[compressedSize];
      input.duplicate().get(compressed);
      output.put(codec.decompress(compressed, uncompressedSize));
    }

    @Override
    public void release() {}
  }
}
