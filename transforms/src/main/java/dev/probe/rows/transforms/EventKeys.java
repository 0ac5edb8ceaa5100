package dev.probe.rows.transforms;

import java.util.Arrays;

/**
 * The secondary key every event is sorted by inside its shard: {@code [key length][key][sort
 * value][file index][row in file]}, big-endian and sign-adjusted so that unsigned byte order is
 * (key, time, input position) order. The length prefix keeps each key's events contiguous; the
 * input position makes ties deterministic.
 */
final class EventKeys {
  private EventKeys() {}

  private static final int LENGTH_BYTES = 4;

  /** Offset just past the key bytes. */
  static int keyEnd(byte[] eventKey) {
    return LENGTH_BYTES + new ByteSource(eventKey, 0).readInt();
  }

  static int keyOffset() {
    return LENGTH_BYTES;
  }

  static boolean sameKey(byte[] a, byte[] b) {
    int end = keyEnd(a);
    return end == keyEnd(b) && Arrays.equals(a, 0, end, b, 0, end);
  }

  /** Stable across JVMs and runners: a key's shard depends on its bytes only. */
  static int shardOf(byte[] eventKey, int numShards) {
    int end = keyEnd(eventKey);
    int hash = 0x9747b28c;
    for (int i = LENGTH_BYTES; i < end; i++) {
      hash = 31 * hash + eventKey[i];
    }
    // murmur3's finalizer spreads similar keys (IP addresses) across shards.
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return Math.floorMod(hash, numShards);
  }
}
