package dev.probe.rows.events;

import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The secondary key every event is sorted by inside its shard: {@code [key][sort value][file
 * index][row in file]}, so that unsigned byte order is (key, time, input position) order. The key's
 * bytes are written self-delimiting and order-preserving (a zero byte becomes {@code 00 FF}, the
 * key ends with {@code 00 00}), so a key sorts before every longer key it prefixes; the sort value
 * is fixed-width, big-endian and sign-adjusted; the input position makes ties deterministic.
 *
 * <p>Keys sort by their own bytes, as files sorted by key already are: on such input a reader's
 * consecutive rows are already in event key order, whatever the key.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class EventKeys {
  private EventKeys() {}

  /** Appends the key {@code raw[offset, offset + length)} to {@code out}; returns its end. */
  public static int appendKey(ByteSink out, byte[] raw, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      out.writeByte(raw[i]);
      if (raw[i] == 0) {
        out.writeByte(0xFF);
      }
    }
    out.writeByte(0);
    out.writeByte(0);
    return out.size();
  }

  /** Offset just past the key of the event key at the start of {@code eventKey}. */
  public static int keyEnd(byte[] eventKey) {
    return keyEnd(eventKey, 0);
  }

  /** Offset, from {@code start}, just past the key of the event key at {@code start}. */
  public static int keyEnd(byte[] bytes, int start) {
    int i = start;
    while (bytes[i] != 0 || bytes[i + 1] != 0) {
      i += bytes[i] == 0 ? 2 : 1;
    }
    return i + 2 - start;
  }

  /** The key's own bytes. */
  public static byte[] key(byte[] eventKey) {
    int end = keyEnd(eventKey) - 2;
    ByteSink raw = new ByteSink(end);
    for (int i = 0; i < end; i++) {
      raw.writeByte(eventKey[i]);
      if (eventKey[i] == 0) {
        i++;
      }
    }
    return raw.toByteArray();
  }

  public static boolean sameKey(byte[] a, byte[] b) {
    return sameKey(a, keyEnd(a), b);
  }

  /** Whether {@code b} has the key of {@code a}, whose key ends at {@code aKeyEnd}. */
  public static boolean sameKey(byte[] a, int aKeyEnd, byte[] b) {
    return Arrays.equals(a, 0, aKeyEnd, b, 0, Math.min(aKeyEnd, b.length));
  }

  /** Stable across JVMs and runners: a key's shard depends on its bytes only. */
  public static int shard(int keyHash, int numShards) {
    return Math.floorMod(keyHash, numShards);
  }

  /** The hash of the key, as written in an event key, in {@code bytes[from, to)}. */
  public static int hash(byte[] bytes, int from, int to) {
    int hash = 0x9747b28c;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + bytes[i];
    }
    // murmur3's finalizer spreads similar keys (IP addresses) across shards.
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return hash;
  }
}
