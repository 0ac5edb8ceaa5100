package dev.probe.rows.transforms;

import java.util.Arrays;

/**
 * The secondary key every event is sorted by inside its shard: {@code [key hash][key length][key]
 * [sort value][file index][row in file]}, big-endian and sign-adjusted so that unsigned byte order
 * is (key hash, key, time, input position) order. The hash leads so that four bytes tell almost
 * every two keys apart, which keeps sorting and merging cheap; the length keeps each key's events
 * contiguous; the input position makes ties deterministic. Keys come out in hash order, which
 * nothing downstream depends on.
 */
final class EventKeys {
  private EventKeys() {}

  private static final int HASH_BYTES = 4;
  private static final int LENGTH_BYTES = 4;

  /** Starts an event key in {@code out}: call {@link #endKey} once the key bytes are written. */
  static void beginKey(ByteSink out) {
    out.writeInt(0);
    out.writeInt(0);
  }

  /** Fills in the hash and length of the key written since {@link #beginKey}; returns its end. */
  static int endKey(ByteSink out) {
    int end = out.size();
    out.setInt(HASH_BYTES, end - keyOffset());
    out.setInt(0, hash(out.array(), keyOffset(), end));
    return end;
  }

  /** Offset of the key bytes. */
  static int keyOffset() {
    return HASH_BYTES + LENGTH_BYTES;
  }

  /** Offset just past the key bytes. */
  static int keyEnd(byte[] eventKey) {
    return keyEnd(eventKey, 0);
  }

  /** Offset, from {@code start}, just past the key bytes of the event key at {@code start}. */
  static int keyEnd(byte[] bytes, int start) {
    return keyOffset() + new ByteSource(bytes, start + HASH_BYTES).readInt();
  }

  static boolean sameKey(byte[] a, byte[] b) {
    int end = keyEnd(a);
    return end == keyEnd(b) && Arrays.equals(a, 0, end, b, 0, end);
  }

  /** Stable across JVMs and runners: a key's shard depends on its bytes only. */
  static int shardOf(byte[] eventKey, int numShards) {
    return Math.floorMod(new ByteSource(eventKey, 0).readInt(), numShards);
  }

  private static int hash(byte[] bytes, int from, int to) {
    int hash = 0x9747b28c;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + bytes[i];
    }
    // murmur3's finalizer spreads similar keys (IP addresses) across shards and hash order.
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return hash;
  }
}
