package dev.probe.rows.parquet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet's Snappy page compression in bounded memory. Parquet-mr compresses a page through one
 * growing array (and Snappy's own copies of the whole page); a probe row with millions of events is
 * a single page per column, so those copies, not the data, would decide how large a key fits in
 * the heap. Here a page streams through 64 kB fragments into a list of fixed-size blocks.
 *
 * <p>The output is one standard Snappy block: Snappy compresses in independent 64 kB fragments
 * whose copies never reach back past their fragment's start, so fragments compressed separately and
 * concatenated under one length header decode exactly like one call over the whole input.
 */
final class StreamingSnappy implements CompressionCodecFactory {
  private static final int FRAGMENT = 1 << 16;
  // Under half of G1's smallest region (1 MB): larger arrays are humongous, each taking whole
  // regions, and the output of one giant page would then occupy about twice its size.
  private static final int BLOCK = 1 << 17;

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    if (codec != CompressionCodecName.SNAPPY) {
      throw new IllegalArgumentException("only Snappy is streamed, not " + codec);
    }
    return new Compressor();
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("this codec factory only compresses");
  }

  @Override
  public void release() {}

  private static final class Compressor implements BytesInputCompressor {
    private final byte[] fragment = new byte[FRAGMENT];
    private final byte[] compressed = new byte[Snappy.maxCompressedLength(FRAGMENT)];

    @Override
    public BytesInput compress(BytesInput page) throws IOException {
      long size = page.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException("a Parquet page of " + size + " bytes is beyond Snappy's 2 GB");
      }
      Blocks out = new Blocks();
      writeVarInt(out, (int) size);
      FragmentStream fragments = new FragmentStream(out);
      page.writeAllTo(fragments);
      fragments.flush();
      return out.toBytesInput();
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.SNAPPY;
    }

    @Override
    public void release() {}

    /** Compresses each full fragment and appends it without its own length header. */
    private final class FragmentStream extends OutputStream {
      private final Blocks out;
      private int filled;

      FragmentStream(Blocks out) {
        this.out = out;
      }

      @Override
      public void write(int b) throws IOException {
        fragment[filled++] = (byte) b;
        if (filled == FRAGMENT) {
          flush();
        }
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
          int n = Math.min(length, FRAGMENT - filled);
          System.arraycopy(bytes, offset, fragment, filled, n);
          filled += n;
          offset += n;
          length -= n;
          if (filled == FRAGMENT) {
            flush();
          }
        }
      }

      @Override
      public void flush() throws IOException {
        if (filled == 0) {
          return;
        }
        int length = Snappy.compress(fragment, 0, filled, compressed, 0);
        int header = varIntLength(filled);
        out.write(compressed, header, length - header);
        filled = 0;
      }
    }
  }

  /** Appends into fixed-size arrays: growing never copies what is already written. */
  private static final class Blocks {
    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[BLOCK];
    private int used;

    void write(byte[] bytes, int offset, int length) {
      while (length > 0) {
        if (used == current.length) {
          full.add(current);
          current = new byte[BLOCK];
          used = 0;
        }
        int n = Math.min(length, current.length - used);
        System.arraycopy(bytes, offset, current, used, n);
        used += n;
        offset += n;
        length -= n;
      }
    }

    BytesInput toBytesInput() {
      List<BytesInput> parts = new ArrayList<>(full.size() + 1);
      for (byte[] block : full) {
        parts.add(BytesInput.from(block));
      }
      parts.add(BytesInput.from(current, 0, used));
      return BytesInput.concat(parts);
    }
  }

  private static void writeVarInt(Blocks out, int value) {
    byte[] bytes = new byte[5];
    int n = 0;
    while ((value & ~0x7F) != 0) {
      bytes[n++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[n++] = (byte) value;
    out.write(bytes, 0, n);
  }

  private static int varIntLength(int value) {
    int n = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }
}
