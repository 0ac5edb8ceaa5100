package dev.probe.rows.pipeline.diagnose;

import dev.probe.rows.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Events per key, and each key's latest time so far, in bounded memory: exact while the keys fit,
 * then a uniform sample of keys.
 *
 * <p>Keys are packed into one byte array, indexed by an open-addressing table whose slots hold
 * hash, count, key position and latest time side by side: a lookup touches one or two cache lines
 * and the key, where a {@code HashMap} would touch five objects, at about 56 bytes per key plus the
 * key itself.
 *
 * <p>When {@code maxKeys} or {@code maxKeyBytes} is reached, only keys whose hash starts with one
 * more zero bit are kept (distinct sampling): whether a key is kept depends on its hash alone, so
 * every kept key was counted from its first event and its count and latest time stay exact, and the
 * kept keys are a uniform sample of all keys. The heaviest keys, which a sample may miss, are then
 * tracked by {@link TopKeys}.
 */
final class KeyCounter {
  static final int TRACKED_HEAVY_KEYS = 256;

  // A slot is five longs: the key's hash, its count (0: the slot is free) whose bit 62, far above
  // any count, marks a key whose time went back, the key's offset in keyBytes (high half) and
  // length (low half), and its latest time (see #latest), up to 16 bytes: a decimal of precision
  // 38 fills both longs.
  private static final int SLOT = 5;
  private static final int HASH = 0;
  private static final int COUNT = 1;
  private static final int POSITION = 2;
  private static final int LATEST_HIGH = 3;
  private static final int LATEST_LOW = 4;
  private static final long WENT_BACK = 1L << 62;
  private static final long COUNT_BITS = WENT_BACK - 1;

  private final int maxKeys;
  private final int maxKeyBytes;
  private final TopKeys largestKeys = new TopKeys(TRACKED_HEAVY_KEYS);

  /** A key is kept when the top {@code samplingLevel} bits of its hash are zero. */
  private int samplingLevel;

  private byte[] keyBytes = new byte[1 << 12];
  private int keyBytesUsed;
  private long[] table = new long[SLOT << 10];
  private int size;

  KeyCounter(int maxKeys, int maxKeyBytes) {
    this.maxKeys = maxKeys;
    this.maxKeyBytes = maxKeyBytes;
  }

  /**
   * The key's latest time so far, packed as {@link #packHigh} and {@link #packLow} do, into {@code
   * latest[0]} and {@code latest[1]}. False, leaving {@code latest} alone, when the key has not
   * been added or is not in the sample.
   */
  boolean latest(byte[] key, long[] latest) {
    long hash = hash(key);
    if (!isSampled(hash)) {
      return false;
    }
    int slot = find(key, hash);
    if (table[slot + COUNT] == 0) {
      return false;
    }
    latest[0] = table[slot + LATEST_HIGH];
    latest[1] = table[slot + LATEST_LOW];
    return true;
  }

  /**
   * Adds {@code events} (at least 1) of {@code key}, the latest at the packed time {@code
   * latestHigh, latestLow}, if the key is in the sample; {@code wentBack} if any of them is earlier
   * than an earlier event of the key.
   */
  void add(byte[] key, long events, long latestHigh, long latestLow, boolean wentBack) {
    if (isSampled()) {
      largestKeys.add(key, events);
    }
    long hash = hash(key);
    if (!isSampled(hash)) {
      return;
    }
    int slot = find(key, hash);
    if (table[slot + COUNT] != 0) {
      table[slot + COUNT] = (table[slot + COUNT] + events) | (wentBack ? WENT_BACK : 0);
      if (later(latestHigh, latestLow, table[slot + LATEST_HIGH], table[slot + LATEST_LOW])) {
        table[slot + LATEST_HIGH] = latestHigh;
        table[slot + LATEST_LOW] = latestLow;
      }
      return;
    }
    while (size == maxKeys || keyBytesUsed + key.length > maxKeyBytes) {
      if (!isSampled()) {
        // From now on the sample may miss the heaviest keys; every event so far, key by key,
        // is as valid a start for Space-Saving as the original order.
        for (int used : usedSlots()) {
          largestKeys.add(keyAt(used), table[used + COUNT] & COUNT_BITS);
        }
        largestKeys.add(key, events);
      }
      samplingLevel++;
      keepSampledOnly();
      if (!isSampled(hash)) {
        return;
      }
      slot = find(key, hash);
    }
    insert(slot, key, hash, events | (wentBack ? WENT_BACK : 0), latestHigh, latestLow);
  }

  /** Keys whose time went back: all of them, or those of the sample once {@link #isSampled}. */
  long keysThatWentBack() {
    long keys = 0;
    for (int slot : usedSlots()) {
      if ((table[slot + COUNT] & WENT_BACK) != 0) {
        keys++;
      }
    }
    return keys;
  }

  /**
   * The first eight bytes of a sort value (fixed width, at most 16 bytes, unsigned byte order is
   * time order) as an unsigned long; with {@link #packLow}, compared by {@link #later}.
   */
  static long packHigh(byte[] sortValue) {
    return pack(sortValue, 0);
  }

  /** The bytes after the first eight. */
  static long packLow(byte[] sortValue) {
    if (sortValue.length > 16) {
      throw new InvalidInputException(
          "diagnose compares sort values of at most 16 bytes (decimals up to precision 38); this"
              + " sort column's take "
              + sortValue.length);
    }
    return pack(sortValue, 8);
  }

  private static long pack(byte[] bytes, int from) {
    long packed = 0;
    for (int i = from; i < from + 8; i++) {
      packed = packed << 8 | (i < bytes.length ? bytes[i] & 0xFF : 0);
    }
    return packed;
  }

  /** Whether packed time {@code a} is later than {@code b}. */
  static boolean later(long aHigh, long aLow, long bHigh, long bLow) {
    int high = Long.compareUnsigned(aHigh, bHigh);
    return high > 0 || high == 0 && Long.compareUnsigned(aLow, bLow) > 0;
  }

  /** True once keys have been dropped: counts then describe a sample of the keys. */
  boolean isSampled() {
    return samplingLevel > 0;
  }

  /** Distinct keys: exact, or the sample's size scaled by the sampling rate. */
  long distinctKeys() {
    return (long) size << samplingLevel;
  }

  /** The counts of the keys kept, in no particular order. */
  long[] counts() {
    int[] used = usedSlots();
    long[] counts = new long[used.length];
    for (int i = 0; i < used.length; i++) {
      counts[i] = table[used[i] + COUNT] & COUNT_BITS;
    }
    return counts;
  }

  /**
   * The {@code n} heaviest keys, heaviest first: exact, or once sampled, Space-Saving estimates
   * that may be too high by the smallest of {@value #TRACKED_HEAVY_KEYS} counters.
   */
  List<KeyCount> largest(int n) {
    if (isSampled()) {
      return largestKeys.largest(n);
    }
    PriorityQueue<Integer> heaviest =
        new PriorityQueue<>(Comparator.comparingLong(slot -> table[slot + COUNT] & COUNT_BITS));
    for (int slot : usedSlots()) {
      heaviest.add(slot);
      if (heaviest.size() > n) {
        heaviest.poll();
      }
    }
    List<KeyCount> largest = new ArrayList<>();
    for (int slot : heaviest) {
      largest.add(new KeyCount(keyAt(slot), table[slot + COUNT] & COUNT_BITS));
    }
    largest.sort(Comparator.comparingLong(KeyCount::events).reversed());
    return largest;
  }

  private boolean isSampled(long hash) {
    return samplingLevel == 0 || hash >>> (64 - samplingLevel) == 0;
  }

  /** The slot holding {@code key}, or the free slot where it belongs. */
  private int find(byte[] key, long hash) {
    int mask = table.length / SLOT - 1;
    int slot = SLOT * ((int) hash & mask);
    while (table[slot + COUNT] != 0 && !matches(slot, key, hash)) {
      slot = slot + SLOT == table.length ? 0 : slot + SLOT;
    }
    return slot;
  }

  private boolean matches(int slot, byte[] key, long hash) {
    long position = table[slot + POSITION];
    int offset = (int) (position >>> 32);
    return table[slot + HASH] == hash
        && Arrays.equals(keyBytes, offset, offset + (int) position, key, 0, key.length);
  }

  private void insert(
      int slot, byte[] key, long hash, long events, long latestHigh, long latestLow) {
    if (keyBytesUsed + key.length > keyBytes.length) {
      long grown = Math.max(2L * keyBytes.length, keyBytesUsed + key.length);
      keyBytes = Arrays.copyOf(keyBytes, (int) Math.min(grown, maxKeyBytes));
    }
    System.arraycopy(key, 0, keyBytes, keyBytesUsed, key.length);
    table[slot + HASH] = hash;
    table[slot + COUNT] = events;
    table[slot + POSITION] = ((long) keyBytesUsed << 32) | key.length;
    table[slot + LATEST_HIGH] = latestHigh;
    table[slot + LATEST_LOW] = latestLow;
    keyBytesUsed += key.length;
    size++;
    // At most three quarters full, so that probes stay short.
    if (4L * size > 3L * (table.length / SLOT)) {
      rebuild(2 * (table.length / SLOT));
    }
  }

  /** Drops the keys the raised sampling level excludes. */
  private void keepSampledOnly() {
    rebuild(table.length / SLOT);
  }

  /** Re-inserts the sampled keys into a table of {@code slots} slots, packing their bytes anew. */
  private void rebuild(int slots) {
    long[] old = table;
    byte[] oldKeyBytes = keyBytes;
    table = new long[SLOT * slots];
    keyBytes = new byte[Math.max(1 << 12, Math.min(maxKeyBytes, 2 * keyBytesUsed))];
    keyBytesUsed = 0;
    size = 0;
    for (int slot = 0; slot < old.length; slot += SLOT) {
      if (old[slot + COUNT] != 0 && isSampled(old[slot + HASH])) {
        long position = old[slot + POSITION];
        byte[] key =
            Arrays.copyOfRange(
                oldKeyBytes, (int) (position >>> 32), (int) (position >>> 32) + (int) position);
        insert(
            find(key, old[slot + HASH]),
            key,
            old[slot + HASH],
            old[slot + COUNT],
            old[slot + LATEST_HIGH],
            old[slot + LATEST_LOW]);
      }
    }
  }

  private int[] usedSlots() {
    int[] used = new int[size];
    int count = 0;
    for (int slot = 0; slot < table.length; slot += SLOT) {
      if (table[slot + COUNT] != 0) {
        used[count++] = slot;
      }
    }
    return used;
  }

  private byte[] keyAt(int slot) {
    long position = table[slot + POSITION];
    int offset = (int) (position >>> 32);
    return Arrays.copyOfRange(keyBytes, offset, offset + (int) position);
  }

  /** FNV-1a, then murmur3's 64-bit finalizer so that the top bits (the sample) mix well too. */
  static long hash(byte[] key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : key) {
      hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb93fe1a85ec3L;
    hash ^= hash >>> 33;
    return hash;
  }
}
