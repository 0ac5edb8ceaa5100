package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.KV;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * A Parquet file of probe rows in the run's temporary folder, written from streams of events in
 * event key order. What it wrote reaches the run's metrics when it is finished, so a file that is
 * {@link #discard}ed is not counted.
 */
final class ProbeRowFile {
  private static final Counter ROWS_WRITTEN =
      Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.PROBE_ROWS_WRITTEN);
  private static final Counter EVENTS_WRITTEN =
      Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.EVENTS_WRITTEN);
  private static final Distribution EVENTS_PER_KEY =
      Metrics.distribution(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.EVENTS_PER_KEY);

  private final ResourceId path;
  private final ParquetWriter<ProbeRow> writer;
  private final long maxEventsPerRow;
  private long rows;
  private long events;
  private long keys;
  private long smallestKey = Long.MAX_VALUE;
  private long largestKey;

  /**
   * @param maxEventsPerRow split longer timelines into chunks of this many events; 0 for none
   */
  ProbeRowFile(ResourceId path, ProbeRowSchema schema, long maxEventsPerRow) {
    this.path = path;
    this.maxEventsPerRow = maxEventsPerRow;
    try {
      writer = ParquetFiles.writer(ParquetFiles.outputFile(path), new ProbeRowWriteSupport(schema));
    } catch (IOException e) {
      throw new StorageException("cannot write " + path, e);
    }
  }

  /** Writes the probe rows of {@code sortedEvents}, (event key, event) pairs in event key order. */
  void write(Iterator<KV<byte[], byte[]>> sortedEvents) {
    TimelineRows timelines = new TimelineRows(sortedEvents, maxEventsPerRow);
    long keyEvents = 0;
    try {
      while (timelines.hasNext()) {
        long before = timelines.events();
        ProbeRow row = timelines.next();
        if (row.chunk == 0) {
          countKey(keyEvents);
          keyEvents = 0;
        }
        writer.write(row);
        rows++;
        keyEvents += timelines.events() - before;
        LiveProgress.written(1, timelines.events() - before);
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + path, e);
    }
    countKey(keyEvents);
    events += timelines.events();
  }

  private void countKey(long keyEvents) {
    if (keyEvents > 0) {
      keys++;
      smallestKey = Math.min(smallestKey, keyEvents);
      largestKey = Math.max(largestKey, keyEvents);
    }
  }

  ResourceId path() {
    return path;
  }

  long events() {
    return events;
  }

  /** Completes the file and counts what it holds. */
  void finish() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new StorageException("cannot write " + path, e);
    }
    ROWS_WRITTEN.inc(rows);
    EVENTS_WRITTEN.inc(events);
    if (keys > 0) {
      EVENTS_PER_KEY.update(events, keys, smallestKey, largestKey);
    }
  }

  /** Abandons the file, perhaps in the middle of a row, and deletes it. */
  void discard() {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // The file is deleted next; closing only returns the writer's buffers.
    }
    try {
      FileSystems.delete(List.of(path), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + path, e);
    }
  }
}
