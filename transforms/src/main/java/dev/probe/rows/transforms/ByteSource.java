package dev.probe.rows.transforms;

/** Reads what {@link ByteSink} wrote, from a byte array slice. */
final class ByteSource {
  private final byte[] bytes;
  private int position;

  ByteSource(byte[] bytes, int position) {
    this.bytes = bytes;
    this.position = position;
  }

  byte[] array() {
    return bytes;
  }

  int position() {
    return position;
  }

  void skip(int length) {
    position += length;
  }

  int readByte() {
    return bytes[position++] & 0xFF;
  }

  int readInt() {
    int value =
        ((bytes[position] & 0xFF) << 24)
            | ((bytes[position + 1] & 0xFF) << 16)
            | ((bytes[position + 2] & 0xFF) << 8)
            | (bytes[position + 3] & 0xFF);
    position += 4;
    return value;
  }

  long readLong() {
    long high = readInt() & 0xFFFFFFFFL;
    long low = readInt() & 0xFFFFFFFFL;
    return (high << 32) | low;
  }

  int readVarInt() {
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
