package dev.probe.rows.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.ProbeRowsMetrics;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.ByteSource;
import dev.probe.rows.events.EventKeys;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeRunsTest {
  @TempDir Path temp;

  /** Event key of key "k", a signed-flipped time and a row, as the readers build it. */
  private static ByteSink eventKey(long time, long row) {
    ByteSink key = new ByteSink(32);
    EventKeys.appendKey(key, new byte[] {'k'}, 0, 1);
    key.writeLong(time ^ Long.MIN_VALUE);
    key.writeInt(0);
    key.writeLong(row);
    return key;
  }

  /**
   * {@code runs} chunks of one key whose times interleave (run r holds r, r + runs, ...), each
   * event padded so that the open chunks outgrow a 1 MB budget and the key goes to disk.
   */
  private static List<KV<byte[], byte[]>> interleavedChunks(int runs, int eventsPerRun) {
    List<KV<byte[], byte[]>> chunks = new ArrayList<>();
    ByteSink event = new ByteSink(64);
    byte[] padding = new byte[200];
    for (int run = 0; run < runs; run++) {
      RunChunk.Builder builder = new RunChunk.Builder();
      for (int i = 0; i < eventsPerRun; i++) {
        long time = (long) i * runs + run - 1000;
        event.reset();
        event.writeLong(time);
        event.writeBytes(padding);
        ByteSink key = eventKey(time, (long) run * eventsPerRun + i);
        builder.append(key.array(), 0, key.size(), event.array(), 0, event.size());
      }
      chunks.add(KV.of(builder.firstEventKey(), builder.build()));
    }
    chunks.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    return chunks;
  }

  private final MetricsContainerImpl metrics = new MetricsContainerImpl("merge");

  private List<Long> mergedTimes(List<KV<byte[], byte[]>> chunks) throws Exception {
    BufferedExternalSorter.Options sorter =
        BufferedExternalSorter.options().withTempLocation(temp.toString()).withMemoryMB(1);
    List<Long> times = new ArrayList<>();
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
      MergeRuns.MergedEvents merged =
          new MergeRuns.MergedEvents(
              chunks.iterator(),
              sorter,
              Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.KEYS_INTERLEAVED),
              Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.EVENTS_SORTED_ON_DISK));
      while (merged.hasNext()) {
        times.add(new ByteSource(merged.next().getValue(), 0).readLong());
      }
    }
    return times;
  }

  private long counter(String name) {
    return metrics.getCounter(MetricName.named(ProbeRowsMetrics.NAMESPACE, name)).getCumulative();
  }

  private static List<Long> range(long from, int count) {
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(from + i);
    }
    return values;
  }

  @Test
  void interleavedRunsMergeInMemory() throws Exception {
    assertEquals(range(-1000, 3 * 50), mergedTimes(interleavedChunks(3, 50)));
    assertEquals(1, counter(ProbeRowsMetrics.KEYS_INTERLEAVED));
    assertEquals(0, counter(ProbeRowsMetrics.EVENTS_SORTED_ON_DISK));
  }

  @Test
  void runsArrivingInAnyOrderAreOrderedBySpillingBeyondTheBudget() throws Exception {
    List<KV<byte[], byte[]>> chunks = interleavedChunks(20, 100);
    List<KV<byte[], byte[]>> shuffled = new ArrayList<>(chunks);
    Collections.shuffle(shuffled, new Random(3));
    Path spill = temp.resolve("spill");
    Iterator<KV<byte[], byte[]>> ordered = RunsByStart.order(shuffled.iterator(), spill, 50_000);
    assertEquals(1, Files.list(spill).count(), "chunks beyond 50 kB went to one spill file");
    for (KV<byte[], byte[]> expected : chunks) {
      KV<byte[], byte[]> actual = ordered.next();
      assertArrayEquals(expected.getKey(), actual.getKey());
      assertArrayEquals(expected.getValue(), actual.getValue());
    }
    assertFalse(ordered.hasNext());
    assertEquals(0, Files.list(spill).count(), "the spill file is gone once read");
  }

  @Test
  void overlappingRunsBeyondTheBudgetAreSortedOnDisk() throws Exception {
    // 20 overlapping chunks of 1000 events of ~230 bytes: about 4.6 MB open at once.
    assertEquals(range(-1000, 20 * 1000), mergedTimes(interleavedChunks(20, 1000)));
    assertTrue(counter(ProbeRowsMetrics.EVENTS_SORTED_ON_DISK) > 0);
  }
}
