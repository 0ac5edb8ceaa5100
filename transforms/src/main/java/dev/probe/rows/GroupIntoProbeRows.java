package dev.probe.rows;

import dev.probe.rows.schema.AssembleProbeRows;
import dev.probe.rows.schema.RowEvents;
import dev.probe.rows.schema.RunsOfRows;
import dev.probe.rows.sort.MergeRuns;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.schemas.transforms.Convert;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Groups the elements of any {@code PCollection} with a Beam schema ({@link Row}s, POJOs, Avro
 * records read with {@code ParquetIO.read(schema).withBeamSchemas(true)}) into probe rows: one row
 * per value of the key field, holding the key's events in sort field order.
 *
 * <pre>{@code
 * PCollection<Row> probeRows = events.apply(GroupIntoProbeRows.of("src_addr", "event_time"));
 * }</pre>
 *
 * <p>A probe row has the key field (its type, never null), {@code chunk} INT32 (0, or the piece's
 * index under {@link #withMaxEventsPerRow}), {@code event_count} INT64 and {@code events}, an ARRAY
 * of ROWs of every other input field, sort field included, types unchanged. Its schema and every
 * coder are set here.
 *
 * <p><b>Order.</b> Events are in ascending order of the sort field. A {@code PCollection} has no
 * order, so there is no input order to keep among events with equal sort values: those are ordered
 * by their encoded bytes, the same on every runner and every run. To keep an order of your own, put
 * it in the sort field.
 *
 * <p><b>Types.</b> Key: STRING, BYTES, BYTE, INT16, INT32, INT64. Sort field: BYTE, INT16, INT32,
 * INT64, DATETIME, or the logical types {@code SqlTypes.TIMESTAMP} (micros), nanos instant, {@code
 * SqlTypes.DATE}, {@code SqlTypes.TIME}, {@code SqlTypes.DATETIME}. Others (floating point,
 * decimal, …) are refused when the transform is applied, in one sentence naming the field and its
 * type.
 *
 * <p><b>Nulls.</b> An element whose key or sort value is null has no place in a timeline: the
 * pipeline fails, naming the field and the element. Filter such elements out first (e.g. {@code
 * Filter}) to drop them.
 *
 * <p><b>Memory.</b> Each worker sorts a buffer of events (half the {@link #withSorter sorter}'s
 * memory) into runs, and each shard's runs are merged within the sorter's memory, spilling to its
 * temporary location beyond it: the same external sort and merge as the {@code probe-rows} command,
 * so no key's size or the input's size needs the memory. Only the probe row being output is held
 * whole; {@link #withMaxEventsPerRow} bounds it.
 *
 * <p>The input must be bounded and in the global window.
 */
public final class GroupIntoProbeRows extends PTransform<PCollection<?>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  private static final int DEFAULT_NUM_SHARDS = 16;

  private final String keyField;
  private final String sortField;
  private final long maxEventsPerRow;
  private final boolean assumeOrdered;
  private final BufferedExternalSorter.Options sorter;
  private final int numShards;

  private GroupIntoProbeRows(
      String keyField,
      String sortField,
      long maxEventsPerRow,
      boolean assumeOrdered,
      BufferedExternalSorter.Options sorter,
      int numShards) {
    this.keyField = keyField;
    this.sortField = sortField;
    this.maxEventsPerRow = maxEventsPerRow;
    this.assumeOrdered = assumeOrdered;
    this.sorter = sorter;
    this.numShards = numShards;
  }

  /** One probe row per value of {@code keyField}, its events ordered by {@code sortField}. */
  public static GroupIntoProbeRows of(String keyField, String sortField) {
    return new GroupIntoProbeRows(
        keyField, sortField, 0, false, BufferedExternalSorter.options(), DEFAULT_NUM_SHARDS);
  }

  /**
   * Splits a key's events into consecutive probe rows of at most {@code maxEventsPerRow} events,
   * {@code chunk} 0, 1, …; 0 (the default): one row per key, however many events it has.
   */
  public GroupIntoProbeRows withMaxEventsPerRow(long maxEventsPerRow) {
    if (maxEventsPerRow < 0) {
      throw new IllegalArgumentException(
          "maxEventsPerRow must be 0 (no limit) or more, not " + maxEventsPerRow);
    }
    return new GroupIntoProbeRows(
        keyField, sortField, maxEventsPerRow, assumeOrdered, sorter, numShards);
  }

  /**
   * Takes the runs the elements already form, in the order each bundle presents them, instead of
   * sorting them: fast when elements arrive sorted by key and sort value (as from a file sorted
   * that way), slower when they do not. Never changes the output: runs are merged, and runs that
   * overlap beyond the sorter's memory are sorted on disk.
   */
  public GroupIntoProbeRows withAssumeOrdered(boolean assumeOrdered) {
    return new GroupIntoProbeRows(
        keyField, sortField, maxEventsPerRow, assumeOrdered, sorter, numShards);
  }

  /**
   * The sort's memory per worker ({@code withMemoryMB}, below 2048) and where it spills ({@code
   * withTempLocation}: a local folder); by default Beam's, 100 MB in {@code /tmp}.
   */
  public GroupIntoProbeRows withSorter(BufferedExternalSorter.Options sorter) {
    return new GroupIntoProbeRows(
        keyField, sortField, maxEventsPerRow, assumeOrdered, sorter, numShards);
  }

  /**
   * Keys are grouped into this many shards (16 by default), each merged by one worker: at least
   * the number of workers, so that every worker has one.
   */
  public GroupIntoProbeRows withNumShards(int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be 1 or more, not " + numShards);
    }
    return new GroupIntoProbeRows(
        keyField, sortField, maxEventsPerRow, assumeOrdered, sorter, numShards);
  }

  @Override
  public PCollection<Row> expand(PCollection<?> input) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          "GroupIntoProbeRows needs a PCollection with a schema; "
              + input.getName()
              + " has none (give its type a @DefaultSchema, or call setRowSchema)");
    }
    if (input.isBounded() != PCollection.IsBounded.BOUNDED
        || !(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "GroupIntoProbeRows needs a bounded PCollection in the global window; "
              + input.getName()
              + " is "
              + input.isBounded()
              + " with "
              + input.getWindowingStrategy().getWindowFn());
    }
    RowEvents events = RowEvents.of(input.getSchema(), keyField, sortField);
    return toRows(input)
        .apply(
            assumeOrdered ? "RunsAsArriving" : "SortIntoRuns",
            assumeOrdered
                ? RunsOfRows.asArriving(events, numShards)
                : RunsOfRows.sorting(events, numShards, sortBufferBytes()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("MergeRuns", MergeRuns.withSorter(sorter))
        .apply("AssembleProbeRows", AssembleProbeRows.of(events, maxEventsPerRow));
  }

  /** Half the sorter's memory: a worker's sort buffer lives beside the merges it feeds. */
  private long sortBufferBytes() {
    return Math.max(1, sorter.getMemoryMB() / 2) * 1024L * 1024L;
  }

  private static <T> PCollection<Row> toRows(PCollection<T> input) {
    return input.apply("ToRows", Convert.toRows());
  }
}
