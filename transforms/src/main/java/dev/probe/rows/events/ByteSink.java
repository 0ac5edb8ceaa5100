package dev.probe.rows.events;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.parquet.io.api.Binary;

/**
 * A growable big-endian byte buffer; cheaper than DataOutputStream on the per-event hot path. It is
 * an OutputStream only for {@link #writeBinary}.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class ByteSink extends OutputStream {
  private byte[] buffer;
  private int size;

  public ByteSink(int initialCapacity) {
    buffer = new byte[initialCapacity];
  }

  public void reset() {
    size = 0;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  public void writeByte(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  public void writeInt(int value) {
    ensure(4);
    buffer[size++] = (byte) (value >>> 24);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
  }

  /** The backing array; valid up to {@link #size}. */
  public byte[] array() {
    return buffer;
  }

  public int size() {
    return size;
  }

  /** Overwrites four bytes already written, for a length known only after its payload. */
  void setInt(int position, int value) {
    buffer[position] = (byte) (value >>> 24);
    buffer[position + 1] = (byte) (value >>> 16);
    buffer[position + 2] = (byte) (value >>> 8);
    buffer[position + 3] = (byte) value;
  }

  public void writeLong(long value) {
    writeInt((int) (value >>> 32));
    writeInt((int) value);
  }

  public void writeVarInt(int value) {
    while ((value & ~0x7F) != 0) {
      writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    writeByte(value);
  }

  public void writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  public void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  /**
   * Writes the binary's bytes straight from where they are: its other accessors allocate an array
   * or a buffer per value.
   */
  public void writeBinary(Binary value) {
    try {
      value.writeTo(this);
    } catch (IOException e) {
      throw new AssertionError("writing to memory cannot fail", e);
    }
  }

  @Override
  public void write(int b) {
    writeByte(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    writeBytes(bytes, offset, length);
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }
}
