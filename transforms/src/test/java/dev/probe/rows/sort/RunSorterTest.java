package dev.probe.rows.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunSorterTest {
  private static byte[] eventKey(byte[] key, long time, long row) {
    ByteSink eventKey = new ByteSink(64);
    EventKeys.appendKey(eventKey, key, 0, key.length);
    eventKey.writeLong(time ^ Long.MIN_VALUE);
    eventKey.writeInt(0);
    eventKey.writeLong(row);
    return eventKey.toByteArray();
  }

  private static int hash(byte[] key) {
    ByteSink encoded = new ByteSink(16);
    int end = EventKeys.appendKey(encoded, key, 0, key.length);
    return EventKeys.hash(encoded.array(), 0, end);
  }

  /** Two different keys with the same hash: "Aa" and "BB" collide in any 31-polynomial hash. */
  private static List<byte[]> collidingKeys() {
    List<byte[]> keys =
        List.of("Aa".getBytes(StandardCharsets.UTF_8), "BB".getBytes(StandardCharsets.UTF_8));
    assertEquals(hash(keys.get(0)), hash(keys.get(1)));
    return keys;
  }

  /**
   * One shard holds every event, more than the sorter copies out, so it is sorted where it lies;
   * with more shards, each is copied out first.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8})
  void shipsEachBufferAsOneSortedRunPerShard(int shards) {
    Random random = new Random(7);
    List<byte[]> keys = new ArrayList<>(collidingKeys());
    // Keys that prefix each other, hold zero bytes, or are empty.
    keys.addAll(List.of(new byte[] {}, new byte[] {0}, new byte[] {0, 0}, new byte[] {0, 1}));
    for (int k = 0; k < 24; k++) {
      keys.add(("key" + (k % 8 == 0 ? k / 8 : k)).getBytes(StandardCharsets.UTF_8));
    }
    // Many keys sharing 20-byte prefixes: ties across several eight-byte words.
    for (int k = 0; k < 300; k++) {
      keys.add(("a long shared prefix" + k).getBytes(StandardCharsets.UTF_8));
    }
    RunSorter sorter = new RunSorter(shards, 64 * 1024);
    Map<String, byte[]> eventByKey = new HashMap<>();
    List<byte[]> added = new ArrayList<>();
    List<List<byte[]>> runs = new ArrayList<>();
    Map<Integer, List<byte[]>> open = new HashMap<>();
    RunSorter.ChunkReceiver receiver =
        (shard, first, chunk) -> {
          RunChunk.Cursor cursor = new RunChunk.Cursor(chunk);
          assertEquals(Arrays.toString(first), Arrays.toString(cursor.eventKey()));
          List<byte[]> run = open.computeIfAbsent(shard, s -> new ArrayList<>());
          do {
            byte[] eventKey = cursor.eventKey();
            int keyHash = EventKeys.hash(eventKey, 0, EventKeys.keyEnd(eventKey));
            assertEquals(EventKeys.shard(keyHash, shards), shard);
            assertEquals(
                Arrays.toString(eventByKey.get(Arrays.toString(eventKey))),
                Arrays.toString(cursor.event()));
            run.add(eventKey);
          } while (cursor.advance());
        };
    ByteSink eventKey = new ByteSink(64);
    ByteSink event = new ByteSink(64);
    int flushes = 0;
    for (long row = 0; row < 20_000; row++) {
      // Skewed: the colliding keys are the most frequent, so they share buffers.
      byte[] key = keys.get((int) (keys.size() * Math.pow(random.nextDouble(), 2)));
      // Few distinct times: ties broken by row; negative times sort first.
      byte[] bytes = eventKey(key, random.nextInt(50) - 25, row);
      eventKey.reset();
      eventKey.writeBytes(bytes);
      event.reset();
      event.writeLong(row);
      eventByKey.put(Arrays.toString(bytes), event.toByteArray());
      added.add(bytes);
      if (sorter.add(eventKey, EventKeys.keyEnd(bytes), event)) {
        sorter.flush(receiver);
        runs.addAll(open.values());
        open.clear();
        flushes++;
      }
    }
    sorter.flush(receiver);
    runs.addAll(open.values());
    assertTrue(flushes > 3, "the buffer filled " + flushes + " times");

    List<byte[]> shipped = new ArrayList<>();
    for (List<byte[]> run : runs) {
      for (int i = 1; i < run.size(); i++) {
        assertTrue(Arrays.compareUnsigned(run.get(i - 1), run.get(i)) < 0, "run out of order");
      }
      shipped.addAll(run);
    }
    shipped.sort(Arrays::compareUnsigned);
    added.sort(Arrays::compareUnsigned);
    assertEquals(added.size(), shipped.size());
    for (int i = 0; i < added.size(); i++) {
      assertEquals(Arrays.toString(added.get(i)), Arrays.toString(shipped.get(i)));
    }
  }

  @Test
  void keysSortByTheirBytesAndPrefixesFirst() {
    byte[][] ordered = {{}, {0}, {0, 0}, {0, 1}, {1}, {'a'}, {'a', 0}, {'a', 'b'}, {(byte) 0xFF}};
    for (int i = 1; i < ordered.length; i++) {
      byte[] before = eventKey(ordered[i - 1], Long.MAX_VALUE, 9);
      byte[] after = eventKey(ordered[i], Long.MIN_VALUE, 0);
      assertTrue(Arrays.compareUnsigned(before, after) < 0, "key " + i + " sorts after " + (i - 1));
      assertEquals(Arrays.toString(ordered[i]), Arrays.toString(EventKeys.key(after)));
      assertTrue(EventKeys.sameKey(after, eventKey(ordered[i], 5, 5)));
      assertTrue(!EventKeys.sameKey(before, after));
    }
  }
}
