package dev.probe.rows.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunSorterTest {
  private static final int SHARDS = 3;

  /** An event key as the reader builds it, with a chosen hash to force collisions. */
  private static ByteSink eventKey(int hash, String key, long time, long row) {
    ByteSink eventKey = new ByteSink(64);
    EventKeys.beginKey(eventKey);
    eventKey.writeBytes(key.getBytes());
    EventKeys.endKey(eventKey);
    eventKey.setInt(0, hash);
    eventKey.writeLong(time ^ Long.MIN_VALUE);
    eventKey.writeInt(0);
    eventKey.writeLong(row);
    return eventKey;
  }

  @Test
  void shipsEachBufferAsOneSortedRunPerShard() {
    Random random = new Random(7);
    // Keys 0..29, where keys 0, 10 and 20 share one hash and 5, 15, 25 another.
    int[] hashes = new int[30];
    for (int k = 0; k < hashes.length; k++) {
      hashes[k] = k % 10 == 0 ? -7 : k % 10 == 5 ? 0x7fff0000 : random.nextInt();
    }
    RunSorter sorter = new RunSorter(SHARDS, 64 * 1024);
    List<List<byte[]>> runs = new ArrayList<>();
    Map<String, byte[]> eventsByKey = new HashMap<>();
    List<byte[]> added = new ArrayList<>();
    Map<Integer, List<byte[]>> open = new HashMap<>();
    RunSorter.ChunkReceiver receiver =
        (shard, first, chunk) -> {
          RunChunk.Cursor cursor = new RunChunk.Cursor(chunk);
          assertEquals(Arrays.toString(first), Arrays.toString(cursor.eventKey()));
          List<byte[]> run = open.computeIfAbsent(shard, s -> new ArrayList<>());
          do {
            assertEquals(shard, EventKeys.shardOf(cursor.eventKey(), SHARDS));
            assertEquals(
                Arrays.toString(eventsByKey.get(Arrays.toString(cursor.eventKey()))),
                Arrays.toString(cursor.event()));
            run.add(cursor.eventKey());
          } while (cursor.advance());
        };
    ByteSink event = new ByteSink(64);
    int flushes = 0;
    for (long row = 0; row < 20_000; row++) {
      int k = random.nextInt(hashes.length);
      // Few distinct times: ties broken by row; negative times sort first.
      ByteSink key = eventKey(hashes[k], "key" + k, random.nextInt(50) - 25, row);
      event.reset();
      event.writeLong(row);
      eventsByKey.put(Arrays.toString(key.toByteArray()), event.toByteArray());
      added.add(key.toByteArray());
      if (sorter.add(key, event)) {
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
}
