package dev.probe.rows.transforms;

import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.extensions.sorter.SortValues;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Parquet events to probe rows: one row per key with its events in time order.
 *
 * <pre>
 *   row groups → ReadEvents → GroupByKey(shard) → SortValues(key, time, position) → WriteProbeRows
 *   row groups → ReadRuns → GroupByKey(shard) → SortValues(run start) → MergeRuns → WriteProbeRows
 * </pre>
 *
 * <p>The second line is {@link #withAssumeOrdered}: on input already ordered by time within each
 * key, the shuffle and the sort handle one element per run chunk instead of one per event.
 *
 * <p>Events are grouped by shard (a hash of the key), not by key: a handful of large groups keeps
 * per-group overhead (the DirectRunner's above all) out of the cost, and each shard's sorted stream
 * becomes exactly one output file without a second shuffle. The external sort spills to disk, so
 * memory does not depend on data size or on the largest key.
 *
 * <p>Returns the committed file paths.
 */
public final class ProbeRows extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final List<FileSlice> slices;
  private final long inputRows;
  private final ProbeRowSchema schema;
  private final OutputDirectory output;
  private final BufferedExternalSorter.Options sorter;
  private final int numShards;
  private final long maxEventsPerRow;
  private final boolean assumeOrdered;
  private final String runId;

  private ProbeRows(
      List<FileSlice> slices,
      long inputRows,
      ProbeRowSchema schema,
      OutputDirectory output,
      BufferedExternalSorter.Options sorter,
      int numShards,
      long maxEventsPerRow,
      boolean assumeOrdered,
      String runId) {
    this.slices = slices;
    this.inputRows = inputRows;
    this.schema = schema;
    this.output = output;
    this.sorter = sorter;
    this.numShards = numShards;
    this.maxEventsPerRow = maxEventsPerRow;
    this.assumeOrdered = assumeOrdered;
    this.runId = runId;
  }

  /**
   * Reads every row group of {@code plan}; write to {@link #to}, tune with the {@code with}
   * methods.
   */
  public static ProbeRows from(InputPlan plan, ProbeRowSchema schema) {
    return new ProbeRows(
        plan.slices(),
        plan.rowCount(),
        schema,
        null,
        BufferedExternalSorter.options(),
        1,
        0,
        false,
        WriteProbeRows.newRunId());
  }

  public ProbeRows to(OutputDirectory output) {
    return new ProbeRows(
        slices,
        inputRows,
        schema,
        output,
        sorter,
        numShards,
        maxEventsPerRow,
        assumeOrdered,
        runId);
  }

  public ProbeRows withSorter(BufferedExternalSorter.Options sorter) {
    return new ProbeRows(
        slices,
        inputRows,
        schema,
        output,
        sorter,
        numShards,
        maxEventsPerRow,
        assumeOrdered,
        runId);
  }

  public ProbeRows withNumShards(int numShards) {
    return new ProbeRows(
        slices,
        inputRows,
        schema,
        output,
        sorter,
        numShards,
        maxEventsPerRow,
        assumeOrdered,
        runId);
  }

  /** Splits timelines longer than this into consecutive rows ({@code chunk} 0, 1, …); 0: never. */
  public ProbeRows withMaxEventsPerRow(long maxEventsPerRow) {
    return new ProbeRows(
        slices,
        inputRows,
        schema,
        output,
        sorter,
        numShards,
        maxEventsPerRow,
        assumeOrdered,
        runId);
  }

  /**
   * Expects each file's runs of a key to be in time order, and ships runs instead of events. The
   * output is the same either way: runs are checked row by row and merged, and a key whose runs
   * overlap too much is sorted on disk.
   */
  public ProbeRows withAssumeOrdered(boolean assumeOrdered) {
    return new ProbeRows(
        slices,
        inputRows,
        schema,
        output,
        sorter,
        numShards,
        maxEventsPerRow,
        assumeOrdered,
        runId);
  }

  /** Names the temporary folder, so a caller can {@link OutputDirectory#abort} a failed run. */
  public ProbeRows withRunId(String runId) {
    return new ProbeRows(
        slices,
        inputRows,
        schema,
        output,
        sorter,
        numShards,
        maxEventsPerRow,
        assumeOrdered,
        runId);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    if (output == null) {
      throw new IllegalStateException("ProbeRows needs an output: call to(OutputDirectory)");
    }
    PCollection<FileSlice> rowGroups =
        begin
            .apply(
                "ListRowGroups", Create.of(slices).withCoder(SerializableCoder.of(FileSlice.class)))
            .apply("SpreadRowGroups", Reshuffle.viaRandomKey());
    PCollectionTuple read =
        rowGroups.apply(
            assumeOrdered ? "ReadSortedRuns" : "ReadEvents",
            assumeOrdered
                ? ReadSlices.runs(schema, numShards, output, runId)
                : ReadSlices.events(schema, numShards, output, runId));
    PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>> sortedShards =
        read.get(ReadSlices.SHUFFLE)
            .apply("GroupByShard", GroupByKey.create())
            .apply("SortByKeyAndTime", SortValues.create(sorter));
    if (assumeOrdered) {
      sortedShards = sortedShards.apply("MergeRuns", MergeRuns.withSorter(sorter));
    }
    PCollectionView<List<SliceSummary>> summaries =
        read.get(ReadSlices.SUMMARIES).apply("CollectSliceSummaries", View.asList());
    return sortedShards.apply(
        "WriteProbeRows",
        WriteProbeRows.to(output, schema, numShards, maxEventsPerRow, runId, summaries, inputRows));
  }
}
