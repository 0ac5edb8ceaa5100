package dev.probe.rows.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.values.KV;

/**
 * Writes the probe rows of the keys a row group alone holds (those strictly inside its exclusive
 * {@link KeyRange}) to a file of its reader's own, so that on input sorted by key most events skip
 * the shuffle and the merge. A key's events are buffered until the key ends; a key that outgrows
 * the buffer is handed back to be shipped, and the merge writes it instead.
 *
 * <p>This is only right if the row group's rows come in event key order, which is checked row by
 * row: the first row out of order throws {@link OutOfOrder}, and the reader {@link #discard}s the
 * file and ships the row group's events instead.
 */
final class OwnKeysWriter {
  /** A row came out of event key order: the row group's keys cannot be written as read. */
  static final class OutOfOrder extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfOrder() {
      super("a row group's rows are out of event key order", null, false, false);
    }
  }

  /** Ships an event through the shuffle. */
  interface Shipper {
    void ship(byte[] eventKey, int keyEnd, byte[] event, int row);
  }

  /** Roughly what a buffered event costs beyond its bytes: two arrays, a pair, a list slot. */
  private static final int EVENT_OVERHEAD = 64;

  private final long bufferBytes;
  private final Supplier<ProbeRowFile> newFile;
  private final List<KV<byte[], byte[]>> keyEvents = new ArrayList<>();
  private int[] keyRows = new int[64];
  private long keyBytes;
  private boolean shippingKey;
  private byte[] last = new byte[64];
  private int lastLength;
  private int lastKeyEnd;
  private ProbeRowFile file;

  /**
   * @param bufferBytes the most a key may buffer before it is shipped instead
   * @param newFile opens the file, at the first key written
   */
  OwnKeysWriter(long bufferBytes, Supplier<ProbeRowFile> newFile) {
    this.bufferBytes = bufferBytes;
    this.newFile = newFile;
  }

  /**
   * Takes the next event whose key is strictly inside the row group's range; {@code row} is its
   * index in the row group. Returns false if the caller must ship it instead.
   *
   * @throws OutOfOrder if it does not come after the previous one in event key order
   */
  boolean take(ByteSink eventKey, int keyEnd, ByteSink event, int row, Shipper shipper) {
    byte[] bytes = eventKey.array();
    int length = eventKey.size();
    if (lastLength > 0) {
      if (Arrays.compareUnsigned(bytes, 0, length, last, 0, lastLength) <= 0) {
        throw new OutOfOrder();
      }
      if (!Arrays.equals(bytes, 0, keyEnd, last, 0, lastKeyEnd)) {
        finishKey();
      }
    }
    if (last.length < length) {
      last = new byte[Math.max(length, 2 * last.length)];
    }
    System.arraycopy(bytes, 0, last, 0, length);
    lastLength = length;
    lastKeyEnd = keyEnd;
    if (shippingKey) {
      return false;
    }
    if (keyEvents.size() == keyRows.length) {
      keyRows = Arrays.copyOf(keyRows, 2 * keyRows.length);
    }
    keyRows[keyEvents.size()] = row;
    keyEvents.add(KV.of(Arrays.copyOf(bytes, length), event.toByteArray()));
    keyBytes += length + event.size() + EVENT_OVERHEAD;
    if (keyBytes > bufferBytes) {
      for (int i = 0; i < keyEvents.size(); i++) {
        KV<byte[], byte[]> buffered = keyEvents.get(i);
        shipper.ship(buffered.getKey(), keyEnd, buffered.getValue(), keyRows[i]);
      }
      clearKey();
      shippingKey = true;
    }
    return true;
  }

  private void finishKey() {
    if (!keyEvents.isEmpty()) {
      if (file == null) {
        file = newFile.get();
      }
      file.write(keyEvents.iterator());
    }
    clearKey();
    shippingKey = false;
  }

  private void clearKey() {
    keyEvents.clear();
    keyBytes = 0;
  }

  /** Writes the last key and completes the file; null if no key was written. */
  ProbeRowFile finish() {
    finishKey();
    if (file != null) {
      file.finish();
    }
    return file;
  }

  /** Deletes what was written: the row group's events are to be shipped instead. */
  void discard() {
    if (file != null) {
      file.discard();
      file = null;
    }
    clearKey();
  }
}
