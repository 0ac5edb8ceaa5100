package dev.probe.rows.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Parquet events to probe rows: one row per key with its events in time order.
 *
 * <pre>
 *   row groups → GroupByKey(reader) → ReadSlices → GroupByKey(shard) → MergeRuns → WriteProbeRows
 * </pre>
 *
 * <p>Readers ship sorted runs of events rather than single events: by default they sort what they
 * read, a buffer at a time ({@link ReadSlices#sortingRuns}); with {@link #withAssumeOrdered} they
 * take the runs the files already hold ({@link ReadSlices#runsAsRead}). Either way each shard's
 * runs are ordered by their first event and merged, so the output is the same.
 *
 * <p>Events are grouped by shard (a hash of the key), not by key: a handful of large groups keeps
 * per-group overhead (the DirectRunner's above all) out of the cost, and each shard's sorted stream
 * becomes exactly one output file without a second shuffle. The sorts spill to disk, so memory does
 * not depend on data size or on the largest key. {@link Shards} spreads shards and row groups
 * evenly over the workers where the runner's hash is known.
 *
 * <p>Returns the committed file paths.
 */
public final class ProbeRows extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final List<FileSlice> slices;

  /** Each slice's key range from its statistics, null where unknown. */
  private final List<KeyRange> keyRanges;

  private final long inputRows;
  private final ProbeRowSchema schema;
  // Settings: each with-method returns a copy with one of them changed.
  private OutputDirectory output;
  private BufferedExternalSorter.Options sorter = BufferedExternalSorter.options();
  private Shards shards = Shards.hashed(1);
  private long maxEventsPerRow;
  private boolean assumeOrdered;
  private String runId = WriteProbeRows.newRunId();
  // Faults for tests of the self-check: see ProbeRowFile.swapFirstTwoPayloads.
  private boolean swappingShardPayloads;
  private boolean swappingOwnKeysPayloads;

  private ProbeRows(
      List<FileSlice> slices, List<KeyRange> keyRanges, long inputRows, ProbeRowSchema schema) {
    this.slices = slices;
    this.keyRanges = keyRanges;
    this.inputRows = inputRows;
    this.schema = schema;
  }

  /**
   * Reads every row group of {@code plan}; write to {@link #to}, tune with the {@code with}
   * methods.
   */
  public static ProbeRows from(InputPlan plan, ProbeRowSchema schema) {
    return new ProbeRows(plan.slices(), KeyRange.of(plan, schema), plan.rowCount(), schema);
  }

  private ProbeRows with(Consumer<ProbeRows> change) {
    ProbeRows copy = new ProbeRows(slices, keyRanges, inputRows, schema);
    copy.output = output;
    copy.sorter = sorter;
    copy.shards = shards;
    copy.maxEventsPerRow = maxEventsPerRow;
    copy.assumeOrdered = assumeOrdered;
    copy.runId = runId;
    copy.swappingShardPayloads = swappingShardPayloads;
    copy.swappingOwnKeysPayloads = swappingOwnKeysPayloads;
    change.accept(copy);
    return copy;
  }

  public ProbeRows to(OutputDirectory output) {
    return with(copy -> copy.output = output);
  }

  public ProbeRows withSorter(BufferedExternalSorter.Options sorter) {
    return with(copy -> copy.sorter = sorter);
  }

  /** {@code numShards} output files, placed on workers by the runner's hash. */
  public ProbeRows withNumShards(int numShards) {
    return withShards(Shards.hashed(numShards));
  }

  /** Output files, and the workers they and the row groups go to. */
  public ProbeRows withShards(Shards shards) {
    return with(copy -> copy.shards = shards);
  }

  /** Splits timelines longer than this into consecutive rows ({@code chunk} 0, 1, …); 0: never. */
  public ProbeRows withMaxEventsPerRow(long maxEventsPerRow) {
    return with(copy -> copy.maxEventsPerRow = maxEventsPerRow);
  }

  /**
   * Expects each file's runs of a key to be in time order, and ships those runs instead of sorting;
   * where the row groups' statistics show that a row group alone holds a key, its reader writes
   * that key's row itself. The output is the same either way: rows are checked one by one, runs are
   * merged, runs that overlap beyond the memory budget are sorted on disk, and a row group out of
   * order ships its keys after all.
   */
  public ProbeRows withAssumeOrdered(boolean assumeOrdered) {
    return with(copy -> copy.assumeOrdered = assumeOrdered);
  }

  /** Names the temporary folder, so a caller can {@link OutputDirectory#abort} a failed run. */
  public ProbeRows withRunId(String runId) {
    return with(copy -> copy.runId = runId);
  }

  /**
   * A fault for tests, out of the command line's reach: each file of merged shards swaps the
   * payloads of its first two events, so that a test sees the self-check refuse to publish.
   */
  ProbeRows withShardPayloadsSwapped() {
    return with(copy -> copy.swappingShardPayloads = true);
  }

  /** A fault for tests: each file of keys a reader writes itself swaps its first two payloads. */
  ProbeRows withOwnKeysPayloadsSwapped() {
    return with(copy -> copy.swappingOwnKeysPayloads = true);
  }

  /** Half the sort budget: a reader's sort buffer lives beside the sorts of the shards it feeds. */
  private long sortBufferBytes() {
    return Math.max(1, sorter.getMemoryMB() / 2) * 1024L * 1024L;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    if (output == null) {
      throw new IllegalStateException("ProbeRows needs an output: call to(OutputDirectory)");
    }
    // Largest first, dealt to the workers in turn: in file order a file's large row groups
    // would all go to one reader and its small remainders to the other.
    List<FileSlice> largestFirst =
        new ArrayList<>(assumeOrdered ? KeyRange.plan(slices, keyRanges) : slices);
    largestFirst.sort(Comparator.comparingLong(FileSlice::rowCount).reversed());
    List<KV<Integer, FileSlice>> dealt = new ArrayList<>();
    for (FileSlice slice : largestFirst) {
      dealt.add(KV.of(shards.rowGroupKey(dealt.size()), slice));
    }
    PCollection<FileSlice> rowGroups =
        begin
            .apply(
                "ListRowGroups",
                Create.of(dealt)
                    .withCoder(KvCoder.of(Shards.KEY_CODER, SerializableCoder.of(FileSlice.class))))
            .apply("DealRowGroups", GroupByKey.create())
            .apply("RowGroupsOfEachReader", Values.create())
            .apply("EachRowGroup", Flatten.iterables());
    ReadSlices read =
        assumeOrdered
            ? ReadSlices.runsAsRead(schema, shards, maxEventsPerRow, output, runId)
            : ReadSlices.sortingRuns(schema, shards, sortBufferBytes(), output, runId);
    WriteProbeRows write =
        WriteProbeRows.to(output, schema, shards, maxEventsPerRow, runId, inputRows);
    PCollection<KV<Integer, KV<byte[], byte[]>>> runs =
        rowGroups.apply(
            assumeOrdered ? "ReadRunsAsRead" : "ReadSortingRuns",
            swappingOwnKeysPayloads ? read.swappingOwnKeysPayloads() : read);
    return runs.apply("GroupByShard", GroupByKey.create())
        .apply("MergeRuns", MergeRuns.withSorter(sorter))
        .apply("WriteProbeRows", swappingShardPayloads ? write.swappingPayloads() : write);
  }
}
