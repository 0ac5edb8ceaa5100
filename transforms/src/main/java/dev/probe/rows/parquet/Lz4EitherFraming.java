package dev.probe.rows.parquet;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.IOException;

/**
 * Parquet's deprecated LZ4 codec as the writers that use it wrote it. Parquet-mr (through Hadoop)
 * wraps LZ4 blocks in Hadoop's framing, sizes before the blocks; older Arrow C++ and others wrote
 * one bare LZ4 block. As Arrow does, a page is read as Hadoop frames when its bytes are exactly
 * that, else as one bare block; either way the result must be the page's declared size.
 */
final class Lz4EitherFraming {
  private Lz4EitherFraming() {}

  /** Decompresses {@code input} into exactly {@code size} bytes, in whichever framing fits. */
  static byte[] decompress(byte[] input, int size) throws IOException {
    byte[] output = new byte[size];
    if (hadoopFrames(input, output)) {
      return output;
    }
    int written;
    try {
      written = new Lz4Decompressor().decompress(input, 0, input.length, output, 0, size);
    } catch (MalformedInputException | IndexOutOfBoundsException e) {
      written = -1;
    }
    if (written != size) {
      throw new IOException("an LZ4 page is neither Hadoop-framed nor one LZ4 block");
    }
    return output;
  }

  /**
   * Whether {@code input} is Hadoop's blocks that decompress to exactly {@code output}'s size: each
   * block a big-endian decompressed size, then LZ4 blocks, each after its big-endian compressed
   * size, until they fill it.
   */
  private static boolean hadoopFrames(byte[] input, byte[] output) {
    Lz4Decompressor lz4 = new Lz4Decompressor();
    int in = 0;
    int out = 0;
    while (in < input.length) {
      if (input.length - in < 4) {
        return false;
      }
      int blockSize = bigEndianInt(input, in);
      in += 4;
      if (blockSize < 0 || blockSize > output.length - out) {
        return false;
      }
      int blockEnd = out + blockSize;
      while (out < blockEnd) {
        if (input.length - in < 4) {
          return false;
        }
        int compressedSize = bigEndianInt(input, in);
        in += 4;
        if (compressedSize <= 0 || compressedSize > input.length - in) {
          return false;
        }
        int written;
        try {
          written = lz4.decompress(input, in, compressedSize, output, out, blockEnd - out);
        } catch (MalformedInputException | IndexOutOfBoundsException e) {
          return false;
        }
        if (written <= 0) {
          return false;
        }
        in += compressedSize;
        out += written;
      }
    }
    return out == output.length;
  }

  private static int bigEndianInt(byte[] bytes, int at) {
    return ((bytes[at] & 0xFF) << 24)
        | ((bytes[at + 1] & 0xFF) << 16)
        | ((bytes[at + 2] & 0xFF) << 8)
        | (bytes[at + 3] & 0xFF);
  }
}
