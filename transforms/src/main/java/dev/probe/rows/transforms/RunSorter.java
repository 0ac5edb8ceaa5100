package dev.probe.rows.transforms;

import java.util.Arrays;

/**
 * Buffers events in memory and, whenever the buffer fills (and at the end of a row group), ships
 * them as one sorted run per shard, in {@link RunChunk}s. Sorting here, before the shuffle, turns
 * the shuffle's millions of small events into a few hundred large chunks and leaves the shard's
 * sort a k-way merge of runs ({@link MergeRuns}).
 *
 * <p>Events are ordered by event key (see {@link EventKeys}): first by a primitive sort of each
 * event's key hash and arrival index, then, only among events with the same hash, by their whole
 * event key. Arrival order is usually time order already, so that second step is cheap.
 */
final class RunSorter {
  /** Receives each finished chunk. */
  interface ChunkReceiver {
    void chunk(int shard, byte[] firstEventKey, byte[] chunk);
  }

  /** Per event: key start, key length, event start, event length. */
  private static final int FIELDS = 4;

  private static final int SMALL_GROUP = 16;

  private final int numShards;
  private final long capacityBytes;
  private final ByteSink arena = new ByteSink(1 << 16);
  private final RunChunk.Builder chunk = new RunChunk.Builder();
  private int[] events = new int[FIELDS * 1024];
  private int count;

  RunSorter(int numShards, long capacityBytes) {
    this.numShards = numShards;
    this.capacityBytes = capacityBytes;
  }

  /** Copies the event in; true when the buffer is full and should be {@link #flush}ed. */
  boolean add(ByteSink eventKey, ByteSink event) {
    if (FIELDS * (count + 1) > events.length) {
      events = Arrays.copyOf(events, events.length * 2);
    }
    int at = FIELDS * count++;
    events[at] = arena.size();
    events[at + 1] = eventKey.size();
    arena.writeBytes(eventKey.array(), 0, eventKey.size());
    events[at + 2] = arena.size();
    events[at + 3] = event.size();
    arena.writeBytes(event.array(), 0, event.size());
    return arena.size() + (long) Integer.BYTES * events.length >= capacityBytes;
  }

  /** Drops the buffered events. */
  void clear() {
    arena.reset();
    count = 0;
  }

  /** Ships the buffered events as sorted runs and empties the buffer. */
  void flush(ChunkReceiver receiver) {
    if (count == 0) {
      return;
    }
    int[] shardStarts = new int[numShards + 1];
    for (int i = 0; i < count; i++) {
      shardStarts[shardOf(i) + 1]++;
    }
    for (int shard = 0; shard < numShards; shard++) {
      shardStarts[shard + 1] += shardStarts[shard];
    }
    long[] order = groupByShard(shardStarts);
    for (int shard = 0; shard < numShards; shard++) {
      int start = shardStarts[shard];
      int end = shardStarts[shard + 1];
      Arrays.sort(order, start, end);
      sortHashGroups(order, start, end);
      ship(shard, order, start, end, receiver);
    }
    clear();
  }

  /**
   * Each event as {@code (hash with its sign flipped) << 32 | index}, placed in its shard's stretch
   * of the array: the signed order of these longs is unsigned hash order, then arrival order.
   */
  private long[] groupByShard(int[] shardStarts) {
    int[] next = Arrays.copyOf(shardStarts, numShards);
    long[] order = new long[count];
    for (int i = 0; i < count; i++) {
      order[next[shardOf(i)]++] = ((long) (hashOf(i) ^ Integer.MIN_VALUE) << 32) | i;
    }
    return order;
  }

  /** Orders each stretch of equal hashes (one key, rarely several) by whole event key. */
  private void sortHashGroups(long[] order, int start, int end) {
    int groupStart = start;
    for (int i = start + 1; i <= end; i++) {
      if (i == end || (order[i] >>> 32) != (order[groupStart] >>> 32)) {
        if (i - groupStart > 1) {
          sortByEventKey(order, groupStart, i);
        }
        groupStart = i;
      }
    }
  }

  private void sortByEventKey(long[] order, int start, int end) {
    if (end - start <= SMALL_GROUP) {
      insertionSort(order, start, end);
    } else if (isOneKey(order, start, end)) {
      sortOneKey(order, start, end);
    } else {
      Long[] boxed = new Long[end - start];
      for (int i = start; i < end; i++) {
        boxed[i - start] = order[i];
      }
      Arrays.sort(boxed, this::compareEventKeys);
      for (int i = start; i < end; i++) {
        order[i] = boxed[i - start];
      }
    }
  }

  private void insertionSort(long[] order, int start, int end) {
    for (int i = start + 1; i < end; i++) {
      long moving = order[i];
      int j = i - 1;
      while (j >= start && compareEventKeys(order[j], moving) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = moving;
    }
  }

  private boolean isOneKey(long[] order, int start, int end) {
    byte[] bytes = arena.array();
    int first = FIELDS * (int) order[start];
    int keyEnd = keyEnd(first);
    for (int k = start + 1; k < end; k++) {
      int at = FIELDS * (int) order[k];
      if (events[at + 1] != events[first + 1]
          || !Arrays.equals(
              bytes,
              events[at],
              events[at] + keyEnd,
              bytes,
              events[first],
              events[first] + keyEnd)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sorts one key's events (a heavy key has many in every buffer) by the eight bytes after the key,
   * which hold the time, comparing whole event keys only on ties: a merge sort over primitives.
   */
  private void sortOneKey(long[] order, int start, int end) {
    int n = end - start;
    int keyEnd = keyEnd(FIELDS * (int) order[start]);
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      times[i] =
          new ByteSource(arena.array(), events[FIELDS * (int) order[start + i]] + keyEnd)
              .readLong();
    }
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      positions[i] = i;
    }
    mergeSort(positions, new int[n], 0, n, times, order, start);
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = order[start + positions[i]];
    }
    System.arraycopy(sorted, 0, order, start, n);
  }

  private void mergeSort(
      int[] positions, int[] scratch, int from, int to, long[] times, long[] order, int start) {
    if (to - from < 2) {
      return;
    }
    int middle = (from + to) >>> 1;
    mergeSort(positions, scratch, from, middle, times, order, start);
    mergeSort(positions, scratch, middle, to, times, order, start);
    if (compareInGroup(positions[middle - 1], positions[middle], times, order, start) <= 0) {
      return; // already in order: input in time order costs one comparison per level
    }
    System.arraycopy(positions, from, scratch, from, to - from);
    int left = from;
    int right = middle;
    for (int k = from; k < to; k++) {
      if (right >= to
          || (left < middle
              && compareInGroup(scratch[left], scratch[right], times, order, start) <= 0)) {
        positions[k] = scratch[left++];
      } else {
        positions[k] = scratch[right++];
      }
    }
  }

  private int compareInGroup(int a, int b, long[] times, long[] order, int start) {
    int byTime = Long.compareUnsigned(times[a], times[b]);
    return byTime != 0 ? byTime : compareEventKeys(order[start + a], order[start + b]);
  }

  /** Offset within an event key just past its key bytes. */
  private int keyEnd(int at) {
    return EventKeys.keyEnd(arena.array(), events[at]);
  }

  private int compareEventKeys(long a, long b) {
    int i = FIELDS * (int) a;
    int j = FIELDS * (int) b;
    byte[] bytes = arena.array();
    return Arrays.compareUnsigned(
        bytes, events[i], events[i] + events[i + 1], bytes, events[j], events[j] + events[j + 1]);
  }

  private void ship(int shard, long[] order, int start, int end, ChunkReceiver receiver) {
    byte[] bytes = arena.array();
    for (int k = start; k < end; k++) {
      int at = FIELDS * (int) order[k];
      chunk.append(bytes, events[at], events[at + 1], bytes, events[at + 2], events[at + 3]);
      if (chunk.isFull()) {
        emit(shard, receiver);
      }
    }
    emit(shard, receiver);
  }

  private void emit(int shard, ChunkReceiver receiver) {
    if (!chunk.isEmpty()) {
      byte[] first = chunk.firstEventKey();
      receiver.chunk(shard, first, chunk.build());
    }
  }

  private int hashOf(int index) {
    return new ByteSource(arena.array(), events[FIELDS * index]).readInt();
  }

  private int shardOf(int index) {
    return Math.floorMod(hashOf(index), numShards);
  }
}
