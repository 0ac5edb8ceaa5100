package dev.probe.rows.pipeline.diagnose;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heaviest keys of a stream in fixed memory (Space-Saving, Metwally et al. 2005): {@code
 * capacity} counters; a new key takes over the smallest counter and its count. Every key heavier
 * than the smallest counter is kept, and a count is too high by at most the smallest counter.
 */
final class TopKeys {
  private final int capacity;
  // A min-heap of counters by count, and where each key sits in it.
  private final ByteBuffer[] keys;
  private final long[] counts;
  private final Map<ByteBuffer, Integer> positions = new HashMap<>();
  private int size;

  TopKeys(int capacity) {
    this.capacity = capacity;
    this.keys = new ByteBuffer[capacity];
    this.counts = new long[capacity];
  }

  void add(byte[] key, long events) {
    ByteBuffer wrapped = ByteBuffer.wrap(key);
    Integer position = positions.get(wrapped);
    if (position != null) {
      counts[position] += events;
      siftDown(position);
    } else if (size < capacity) {
      place(size, wrapped, events);
      siftUp(size++);
    } else {
      positions.remove(keys[0]);
      place(0, wrapped, counts[0] + events);
      siftDown(0);
    }
  }

  /** The {@code n} largest counts, largest first. */
  List<KeyCount> largest(int n) {
    List<KeyCount> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(new KeyCount(keys[i].array(), counts[i]));
    }
    all.sort(Comparator.comparingLong(KeyCount::events).reversed());
    return all.subList(0, Math.min(n, all.size()));
  }

  private void place(int position, ByteBuffer key, long count) {
    keys[position] = key;
    counts[position] = count;
    positions.put(key, position);
  }

  private void siftUp(int position) {
    while (position > 0) {
      int parent = (position - 1) / 2;
      if (counts[parent] <= counts[position]) {
        return;
      }
      swap(position, parent);
      position = parent;
    }
  }

  private void siftDown(int position) {
    while (true) {
      int smallest = position;
      for (int child = 2 * position + 1; child <= 2 * position + 2 && child < size; child++) {
        if (counts[child] < counts[smallest]) {
          smallest = child;
        }
      }
      if (smallest == position) {
        return;
      }
      swap(position, smallest);
      position = smallest;
    }
  }

  private void swap(int a, int b) {
    ByteBuffer key = keys[a];
    long count = counts[a];
    place(a, keys[b], counts[b]);
    place(b, key, count);
  }
}
