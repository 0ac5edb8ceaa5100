package dev.probe.rows.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Events per key in bounded memory: exact while the keys fit, then a uniform sample of keys.
 *
 * <p>Keys are packed into one byte array with an open-addressing index, about 30 bytes per key
 * plus the key itself, instead of a {@code HashMap}'s hundred. When {@code maxKeys} or {@code
 * maxKeyBytes} is reached, only keys whose hash starts with one more zero bit are kept (distinct
 * sampling): whether a key is kept depends on its hash alone, so every kept key was counted from
 * its first event and its count stays exact, and the kept keys are a uniform sample of all keys.
 * The heaviest keys, which a sample may miss, are then tracked by {@link TopKeys}.
 */
final class KeyCounter {
  static final int TRACKED_HEAVY_KEYS = 256;

  private final int maxKeys;
  private final int maxKeyBytes;
  private final TopKeys largestKeys = new TopKeys(TRACKED_HEAVY_KEYS);

  /** A key is kept when the top {@code samplingLevel} bits of its hash are zero. */
  private int samplingLevel;

  private byte[] keyBytes = new byte[1 << 12];
  private int keyBytesUsed;
  private int[] keyOffsets = new int[1 << 8];
  private int[] keyLengths = new int[1 << 8];
  private long[] hashes = new long[1 << 8];
  private long[] counts = new long[1 << 8];
  private int size;
  /** Entry index + 1 per slot, 0 when the slot is free; at most half full. */
  private int[] slots = new int[1 << 9];

  KeyCounter(int maxKeys, int maxKeyBytes) {
    this.maxKeys = maxKeys;
    this.maxKeyBytes = maxKeyBytes;
  }

  /** Adds {@code events} to {@code key}'s count, if the key is (still) in the sample. */
  void add(byte[] key, long events) {
    if (isSampled()) {
      largestKeys.add(key, events);
    }
    long hash = hash(key);
    if (!isSampled(hash)) {
      return;
    }
    int slot = find(key, hash);
    if (slots[slot] != 0) {
      counts[slots[slot] - 1] += events;
      return;
    }
    while (size == maxKeys || keyBytesUsed + key.length > maxKeyBytes) {
      if (!isSampled()) {
        // From now on the sample may miss the heaviest keys; every event so far, key by key,
        // is as valid a start for Space-Saving as the original order.
        for (int entry = 0; entry < size; entry++) {
          largestKeys.add(keyAt(entry), counts[entry]);
        }
        largestKeys.add(key, events);
      }
      samplingLevel++;
      keepSampledOnly();
      if (!isSampled(hash)) {
        return;
      }
    }
    insert(key, hash, events);
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
    return Arrays.copyOf(counts, size);
  }

  /**
   * The {@code n} heaviest keys, heaviest first: exact, or once sampled, Space-Saving estimates
   * that may be too high by the smallest of {@value #TRACKED_HEAVY_KEYS} counters.
   */
  List<KeyCount> largest(int n) {
    if (isSampled()) {
      return largestKeys.largest(n);
    }
    PriorityQueue<Integer> heaviest = new PriorityQueue<>(Comparator.comparingLong(e -> counts[e]));
    for (int entry = 0; entry < size; entry++) {
      heaviest.add(entry);
      if (heaviest.size() > n) {
        heaviest.poll();
      }
    }
    List<KeyCount> largest = new ArrayList<>();
    for (int entry : heaviest) {
      largest.add(new KeyCount(keyAt(entry), counts[entry]));
    }
    largest.sort(Comparator.comparingLong(KeyCount::events).reversed());
    return largest;
  }

  private byte[] keyAt(int entry) {
    return Arrays.copyOfRange(keyBytes, keyOffsets[entry], keyOffsets[entry] + keyLengths[entry]);
  }

  private boolean isSampled(long hash) {
    return samplingLevel == 0 || hash >>> (64 - samplingLevel) == 0;
  }

  private int find(byte[] key, long hash) {
    int mask = slots.length - 1;
    int slot = (int) hash & mask;
    while (slots[slot] != 0 && !matches(slots[slot] - 1, key, hash)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private boolean matches(int entry, byte[] key, long hash) {
    int offset = keyOffsets[entry];
    return hashes[entry] == hash
        && Arrays.equals(keyBytes, offset, offset + keyLengths[entry], key, 0, key.length);
  }

  private void insert(byte[] key, long hash, long events) {
    if (size == counts.length) {
      int capacity = size * 2;
      keyOffsets = Arrays.copyOf(keyOffsets, capacity);
      keyLengths = Arrays.copyOf(keyLengths, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      counts = Arrays.copyOf(counts, capacity);
    }
    if (keyBytesUsed + key.length > keyBytes.length) {
      long grown = Math.max(2L * keyBytes.length, keyBytesUsed + key.length);
      keyBytes = Arrays.copyOf(keyBytes, (int) Math.min(grown, maxKeyBytes));
    }
    System.arraycopy(key, 0, keyBytes, keyBytesUsed, key.length);
    keyOffsets[size] = keyBytesUsed;
    keyLengths[size] = key.length;
    hashes[size] = hash;
    counts[size] = events;
    keyBytesUsed += key.length;
    size++;
    if (2 * size > slots.length) {
      slots = new int[slots.length * 2];
      reindex();
    } else {
      slots[find(key, hash)] = size;
    }
  }

  /** Drops the keys the raised sampling level excludes, compacting the entries in place. */
  private void keepSampledOnly() {
    int kept = 0;
    int bytesKept = 0;
    for (int entry = 0; entry < size; entry++) {
      if (isSampled(hashes[entry])) {
        System.arraycopy(keyBytes, keyOffsets[entry], keyBytes, bytesKept, keyLengths[entry]);
        keyOffsets[kept] = bytesKept;
        keyLengths[kept] = keyLengths[entry];
        hashes[kept] = hashes[entry];
        counts[kept] = counts[entry];
        bytesKept += keyLengths[entry];
        kept++;
      }
    }
    size = kept;
    keyBytesUsed = bytesKept;
    Arrays.fill(slots, 0);
    reindex();
  }

  private void reindex() {
    int mask = slots.length - 1;
    for (int entry = 0; entry < size; entry++) {
      int slot = (int) hashes[entry] & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry + 1;
    }
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
