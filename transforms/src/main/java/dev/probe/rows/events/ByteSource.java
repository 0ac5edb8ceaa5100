package dev.probe.rows.events;

import org.apache.beam.sdk.annotations.Internal;

/**
 * Reads what {@link ByteSink} wrote, from a byte array slice.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class ByteSource {
  private final byte[] bytes;
  private int position;

  public ByteSource(byte[] bytes, int position) {
    this.bytes = bytes;
    this.position = position;
  }

  public byte[] array() {
    return bytes;
  }

  public int position() {
    return position;
  }

  public void skip(int length) {
    position += length;
  }

  public int readByte() {
    return bytes[position++] & 0xFF;
  }

  public int readInt() {
    int value =
        ((bytes[position] & 0xFF) << 24)
            | ((bytes[position + 1] & 0xFF) << 16)
            | ((bytes[position + 2] & 0xFF) << 8)
            | (bytes[position + 3] & 0xFF);
    position += 4;
    return value;
  }

  public long readLong() {
    long high = readInt() & 0xFFFFFFFFL;
    long low = readInt() & 0xFFFFFFFFL;
    return (high << 32) | low;
  }

  public int readVarInt() {
    int value = 0;
    int shift = 0;
    int b;
    do {
      b = readByte();
      value |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return value;
  }
}
