package dev.probe.rows.parquet;

import dev.probe.rows.LiveProgress;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.ProbeRowsMetrics;
import dev.probe.rows.StorageException;
import dev.probe.rows.events.EventKeys;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.KV;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * A Parquet file of probe rows in the run's temporary folder, written from events that arrive in
 * event key order: a key's events become one row, or consecutive chunks, as they arrive, so a key's
 * timeline is never held whole. The order is checked event by event, so no list is ever written out
 * of order. What it wrote reaches the run's metrics when it is finished, so a file that is {@link
 * #discard}ed is not counted.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class ProbeRowFile {
  /** An event came that does not follow the previous one in event key order. */
  public static final class OutOfOrder extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfOrder(ResourceId path) {
      super("events for " + path + " came out of event key order", null, false, false);
    }
  }

  private static final Counter ROWS_WRITTEN =
      Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.PROBE_ROWS_WRITTEN);
  private static final Counter EVENTS_WRITTEN =
      Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.EVENTS_WRITTEN);
  private static final Distribution EVENTS_PER_KEY =
      Metrics.distribution(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.EVENTS_PER_KEY);

  private final ResourceId path;
  private final ProbeRowSchema schema;
  private final ProbeRowWriteSupport rows;
  private final ParquetWriter<Long> writer;
  private final long maxEventsPerRow;
  private final LiveProgress progress;
  private byte[] lastEventKey = new byte[64];
  private int lastLength;
  private int lastKeyEnd;
  private boolean rowOpen;
  private int chunk;
  private long rowEvents;
  private long keyEvents;
  private long rowCount;
  private long events;
  private long keys;
  private long smallestKey = Long.MAX_VALUE;
  private long largestKey;
  // A fault for tests of the self-check; see swapFirstTwoPayloads.
  private boolean swappingFirstTwoPayloads;
  private KV<byte[], byte[]> heldBack;

  /**
   * @param maxEventsPerRow split longer timelines into chunks of this many events; 0 for none
   */
  public ProbeRowFile(
      ResourceId path, ProbeRowSchema schema, long maxEventsPerRow, LiveProgress progress) {
    this.path = path;
    this.progress = progress;
    this.schema = schema;
    this.maxEventsPerRow = maxEventsPerRow <= 0 ? Long.MAX_VALUE : maxEventsPerRow;
    this.rows = new ProbeRowWriteSupport(schema);
    try {
      writer = ParquetFiles.writer(ParquetFiles.outputFile(path), rows);
    } catch (IOException e) {
      throw new StorageException("cannot write " + path, e);
    }
  }

  /**
   * A fault for tests, never set by a run: the file writes its first event with the second one's
   * payload and the second with the first's, as a bug between reading and writing might, so that a
   * test can see the self-check refuse to publish.
   */
  public ProbeRowFile swapFirstTwoPayloads() {
    swappingFirstTwoPayloads = true;
    return this;
  }

  /** Writes {@code sortedEvents}, (event key, encoded event) pairs in event key order. */
  public void write(Iterator<KV<byte[], byte[]>> sortedEvents) {
    while (sortedEvents.hasNext()) {
      KV<byte[], byte[]> event = sortedEvents.next();
      if (swappingFirstTwoPayloads) {
        swapped(event);
      } else {
        write(event.getKey(), event.getValue());
      }
    }
  }

  private void write(byte[] eventKey, byte[] event) {
    schema.writeEventElement(nextEvent(eventKey, eventKey.length, EventKeys.keyEnd(eventKey)), event);
    rows.endEvent();
  }

  /** Writes the reader's current row, the next event in event key order. */
  void write(SliceReader row) {
    if (swappingFirstTwoPayloads) {
      swapped(KV.of(row.eventKey().toByteArray(), row.event().toByteArray()));
      return;
    }
    row.writeEventElement(nextEvent(row.eventKey().array(), row.eventKey().size(), row.keyEnd()));
    rows.endEvent();
  }

  /** Whether {@code eventKey[0, length)} comes after {@code previous[0, previousLength)}. */
  public static boolean follows(byte[] eventKey, int length, byte[] previous, int previousLength) {
    return Arrays.compareUnsigned(eventKey, 0, length, previous, 0, previousLength) > 0;
  }

  /** Holds the first event back, then writes it and the second with their payloads swapped. */
  private void swapped(KV<byte[], byte[]> event) {
    if (heldBack == null) {
      heldBack = event;
      return;
    }
    swappingFirstTwoPayloads = false;
    write(heldBack.getKey(), event.getValue());
    write(event.getKey(), heldBack.getValue());
  }

  /**
   * Opens the next event's list element: in the open row if it continues the row's key and the row
   * has room, else in a new row.
   *
   * @throws OutOfOrder if the event key does not follow the previous one
   */
  private RecordConsumer nextEvent(byte[] eventKey, int length, int keyEnd) {
    boolean sameKey = false;
    if (lastLength > 0) {
      if (!follows(eventKey, length, lastEventKey, lastLength)) {
        throw new OutOfOrder(path);
      }
      sameKey = Arrays.equals(eventKey, 0, keyEnd, lastEventKey, 0, lastKeyEnd);
    }
    if (!sameKey || rowEvents == maxEventsPerRow) {
      endRow();
      if (sameKey) {
        chunk++;
      } else {
        countKey();
        chunk = 0;
      }
      rows.startRow(EventKeys.key(eventKey), chunk);
      rowOpen = true;
    }
    if (lastEventKey.length < length) {
      lastEventKey = new byte[Math.max(length, 2 * lastEventKey.length)];
    }
    System.arraycopy(eventKey, 0, lastEventKey, 0, length);
    lastLength = length;
    lastKeyEnd = keyEnd;
    rowEvents++;
    keyEvents++;
    return rows.startEvent(eventKey, keyEnd, length);
  }

  private void endRow() {
    if (!rowOpen) {
      return;
    }
    try {
      writer.write(rowEvents);
    } catch (IOException e) {
      throw new StorageException("cannot write " + path, e);
    }
    rowOpen = false;
    rowCount++;
    events += rowEvents;
    progress.written(1, rowEvents);
    rowEvents = 0;
  }

  private void countKey() {
    if (keyEvents > 0) {
      keys++;
      smallestKey = Math.min(smallestKey, keyEvents);
      largestKey = Math.max(largestKey, keyEvents);
      keyEvents = 0;
    }
  }

  public ResourceId path() {
    return path;
  }

  /** Events in the rows written so far. */
  long events() {
    return events;
  }

  /**
   * What the file's writer was handed: its events, counted as they went in, and the sum of their
   * {@link EventDigest}s, for the self-check.
   */
  public Fingerprint written() {
    return new Fingerprint(rows.events(), rows.digest());
  }

  /** Completes the file and counts what it holds. */
  public void finish() {
    endRow();
    countKey();
    try {
      writer.close();
    } catch (IOException e) {
      throw new StorageException("cannot write " + path, e);
    }
    ROWS_WRITTEN.inc(rowCount);
    EVENTS_WRITTEN.inc(events);
    if (keys > 0) {
      EVENTS_PER_KEY.update(events, keys, smallestKey, largestKey);
    }
  }

  /** Abandons the file, perhaps in the middle of a row, and deletes it. */
  public void discard() {
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
