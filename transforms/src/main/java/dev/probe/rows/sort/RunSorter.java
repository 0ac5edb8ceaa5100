package dev.probe.rows.sort;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.ByteSource;
import dev.probe.rows.events.EventKeys;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Buffers events in memory and, whenever the buffer fills (and when its caller is done), ships
 * them as one sorted run per shard, in {@link RunChunk}s. Sorting here, before the shuffle, turns
 * the shuffle's millions of small events into a few hundred large chunks and leaves the shard's
 * sort a k-way merge of runs ({@link MergeRuns}).
 *
 * <p>Events are ordered by event key (see {@link EventKeys}) in three steps that keep byte
 * comparisons rare: a primitive sort on each event's key hash and arrival index gathers each key's
 * events; each key's events are put in time order (arrival order is usually that already); then the
 * keys, far fewer than the events, are sorted by their bytes. Each shard's events are first copied
 * out in hash order, so that these steps and the shipping read memory in order rather than jumping
 * about a buffer far larger than the processor's caches.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class RunSorter {
  /** Receives each finished chunk. */
  public interface ChunkReceiver {
    void chunk(int shard, byte[] firstEventKey, byte[] chunk);
  }

  private static final int SMALL_GROUP = 16;

  private final int numShards;
  private final long capacityBytes;
  private final EventTable buffered = new EventTable();
  private final EventTable gathered = new EventTable();
  private final RunChunk.Builder chunk = new RunChunk.Builder();

  public RunSorter(int numShards, long capacityBytes) {
    this.numShards = numShards;
    this.capacityBytes = capacityBytes;
  }

  /**
   * Copies the event in, its key ending at {@code keyEnd}; true when the buffer is full and should
   * be {@link #flush}ed.
   */
  public boolean add(ByteSink eventKey, int keyEnd, ByteSink event) {
    buffered.add(
        eventKey.array(),
        eventKey.size(),
        event.array(),
        event.size(),
        EventKeys.hash(eventKey.array(), 0, keyEnd),
        keyEnd);
    return buffered.bytes() >= capacityBytes;
  }

  /** Drops the buffered events. */
  public void clear() {
    buffered.clear();
  }

  /** Ships the buffered events as sorted runs and empties the buffer. */
  public void flush(ChunkReceiver receiver) {
    int count = buffered.count;
    if (count == 0) {
      return;
    }
    int[] shardStarts = new int[numShards + 1];
    long[] shardBytes = new long[numShards];
    for (int i = 0; i < count; i++) {
      int shard = shardOf(i);
      shardStarts[shard + 1]++;
      shardBytes[shard] += buffered.bytesOf(i);
    }
    for (int shard = 0; shard < numShards; shard++) {
      shardStarts[shard + 1] += shardStarts[shard];
    }
    long[] order = groupByShard(shardStarts);
    for (int shard = 0; shard < numShards; shard++) {
      int start = shardStarts[shard];
      int end = shardStarts[shard + 1];
      Arrays.sort(order, start, end);
      // The copy is bounded to half the buffer: a shard holding more (one heavy key, a single
      // shard) is sorted where it lies.
      EventTable table = buffered;
      if (shardBytes[shard] <= capacityBytes / 2) {
        gathered.gather(buffered, order, start, end);
        table = gathered;
      }
      table.sortHashGroups(order, start, end);
      shipByKey(table, shard, order, start, end, receiver);
    }
    clear();
    gathered.clear();
  }

  /**
   * Each event as {@code (hash with its sign flipped) << 32 | index}, placed in its shard's stretch
   * of the array: the signed order of these longs is unsigned hash order, then arrival order.
   */
  private long[] groupByShard(int[] shardStarts) {
    int[] next = Arrays.copyOf(shardStarts, numShards);
    long[] order = new long[buffered.count];
    for (int i = 0; i < buffered.count; i++) {
      order[next[shardOf(i)]++] = ((long) (buffered.hashOf(i) ^ Integer.MIN_VALUE) << 32) | i;
    }
    return order;
  }

  /**
   * Ships each key's stretch of {@code order[start, end)} (a stretch of equal hashes holds one key,
   * rarely more), keys in byte order.
   */
  private void shipByKey(
      EventTable table, int shard, long[] order, int start, int end, ChunkReceiver receiver) {
    int[] bounds = new int[16];
    int groups = 0;
    for (int k = start; k <= end; k++) {
      if (k == start || k == end || !table.sameKey(order[k - 1], order[k])) {
        if (groups == bounds.length) {
          bounds = Arrays.copyOf(bounds, groups * 2);
        }
        bounds[groups++] = k;
      }
    }
    groups--; // the last bound is the end
    int[] byKey = new int[groups];
    for (int g = 0; g < groups; g++) {
      byKey[g] = g;
    }
    table.sortByFirstEventKey(byKey, new long[groups], 0, groups, 0, bounds, order);
    for (int group : byKey) {
      for (int k = bounds[group]; k < bounds[group + 1]; k++) {
        table.appendTo(chunk, order[k]);
        if (chunk.isFull()) {
          emit(shard, receiver);
        }
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

  private int shardOf(int index) {
    return EventKeys.shard(buffered.hashOf(index), numShards);
  }

  /** Events as bytes, each event key followed by its event, and each event's place in them. */
  private static final class EventTable {
    /**
     * Per event: event key start, event key length, event start, event length, key hash, key end
     * within the event key.
     */
    private static final int FIELDS = 6;

    private final ByteSink arena = new ByteSink(1 << 16);
    private int[] events = new int[FIELDS * 1024];
    private int count;

    void add(
        byte[] eventKey, int eventKeyLength, byte[] event, int eventLength, int hash, int keyEnd) {
      int at = nextSlot();
      events[at] = arena.size();
      events[at + 1] = eventKeyLength;
      arena.writeBytes(eventKey, 0, eventKeyLength);
      events[at + 2] = arena.size();
      events[at + 3] = eventLength;
      arena.writeBytes(event, 0, eventLength);
      events[at + 4] = hash;
      events[at + 5] = keyEnd;
    }

    /**
     * Holds a copy of {@code from}'s events {@code order[start, end)}, in that order, and points
     * those entries of {@code order} at the copies.
     */
    void gather(EventTable from, long[] order, int start, int end) {
      clear();
      byte[] source = from.arena.array();
      for (int k = start; k < end; k++) {
        int at = FIELDS * (int) order[k];
        int[] fields = from.events;
        int to = nextSlot();
        // The event follows its event key: one copy moves both.
        events[to] = arena.size();
        events[to + 1] = fields[at + 1];
        events[to + 2] = arena.size() + fields[at + 1];
        events[to + 3] = fields[at + 3];
        events[to + 4] = fields[at + 4];
        events[to + 5] = fields[at + 5];
        arena.writeBytes(source, fields[at], fields[at + 1] + fields[at + 3]);
        order[k] = (order[k] & 0xFFFF_FFFF_0000_0000L) | (count - 1);
      }
    }

    /** Where the fields of one more event go. */
    private int nextSlot() {
      if (FIELDS * (count + 1) > events.length) {
        events = Arrays.copyOf(events, events.length * 2);
      }
      return FIELDS * count++;
    }

    void clear() {
      arena.reset();
      count = 0;
    }

    /** What the table holds, its bytes and its index. */
    long bytes() {
      return arena.size() + (long) Integer.BYTES * events.length;
    }

    long bytesOf(int index) {
      return events[FIELDS * index + 1] + events[FIELDS * index + 3];
    }

    int hashOf(int index) {
      return events[FIELDS * index + 4];
    }

    void appendTo(RunChunk.Builder chunk, long event) {
      int at = FIELDS * (int) event;
      byte[] array = arena.array();
      chunk.append(array, events[at], events[at + 1], array, events[at + 2], events[at + 3]);
    }

    /** Orders each stretch of equal hashes (one key, rarely several) by whole event key. */
    void sortHashGroups(long[] order, int start, int end) {
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
     * Sorts one key's events (a heavy key has many in every buffer) by the eight bytes after the
     * key, which hold the time, comparing whole event keys only on ties: a merge sort over
     * primitives.
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
      return events[at + 5];
    }

    private int compareEventKeys(long a, long b) {
      int i = FIELDS * (int) a;
      int j = FIELDS * (int) b;
      byte[] bytes = arena.array();
      return Arrays.compareUnsigned(
          bytes, events[i], events[i] + events[i + 1], bytes, events[j], events[j] + events[j + 1]);
    }

    /**
     * Orders groups by their first event key, eight bytes at a time: a primitive sort on the bytes
     * at {@code depth}, then the same on the next eight bytes among groups that tie. Keys such as
     * addresses share long prefixes, which would make comparison sorts slow.
     */
    void sortByFirstEventKey(
        int[] groups, long[] words, int from, int to, int depth, int[] bounds, long[] order) {
      if (to - from <= SMALL_GROUP) {
        for (int i = from + 1; i < to; i++) {
          int moving = groups[i];
          int j = i - 1;
          while (j >= from
              && compareEventKeys(order[bounds[groups[j]]], order[bounds[moving]]) > 0) {
            groups[j + 1] = groups[j];
            j--;
          }
          groups[j + 1] = moving;
        }
        return;
      }
      for (int i = from; i < to; i++) {
        words[i] = word(order[bounds[groups[i]]], depth);
      }
      quickSort(words, groups, from, to - 1);
      int tieStart = from;
      for (int i = from + 1; i <= to; i++) {
        if (i == to || words[i] != words[tieStart]) {
          if (i - tieStart > 1) {
            sortByFirstEventKey(groups, words, tieStart, i, depth + 1, bounds, order);
          }
          tieStart = i;
        }
      }
    }

    /**
     * Bytes {@code [8 * depth, 8 * depth + 8)} of an event key, zero past its end, sign flipped.
     */
    private long word(long event, int depth) {
      int at = FIELDS * (int) event;
      byte[] bytes = arena.array();
      long word = 0;
      for (int b = 0; b < 8; b++) {
        int offset = 8 * depth + b;
        word = word << 8 | (offset < events[at + 1] ? bytes[events[at] + offset] & 0xFF : 0);
      }
      return word ^ Long.MIN_VALUE;
    }

    /** Sorts {@code words[low, high]}, moving {@code ids} alongside. */
    private static void quickSort(long[] words, int[] ids, int low, int high) {
      while (low < high) {
        long pivot = words[(low + high) >>> 1];
        int i = low;
        int j = high;
        while (i <= j) {
          while (words[i] < pivot) {
            i++;
          }
          while (words[j] > pivot) {
            j--;
          }
          if (i <= j) {
            long word = words[i];
            words[i] = words[j];
            words[j] = word;
            int id = ids[i];
            ids[i] = ids[j];
            ids[j] = id;
            i++;
            j--;
          }
        }
        // Recurse into the smaller side: the stack stays logarithmic.
        if (j - low < high - i) {
          quickSort(words, ids, low, j);
          low = i;
        } else {
          quickSort(words, ids, i, high);
          high = j;
        }
      }
    }

    boolean sameKey(long a, long b) {
      int i = FIELDS * (int) a;
      int j = FIELDS * (int) b;
      if (events[i + 4] != events[j + 4]) {
        return false;
      }
      byte[] bytes = arena.array();
      int end = keyEnd(i);
      return end == keyEnd(j)
          && Arrays.equals(bytes, events[i], events[i] + end, bytes, events[j], events[j] + end);
    }
  }
}
