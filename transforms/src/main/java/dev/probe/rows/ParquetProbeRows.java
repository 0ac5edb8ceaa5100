package dev.probe.rows;

import dev.probe.rows.parquet.FileSlice;
import dev.probe.rows.parquet.KeyRange;
import dev.probe.rows.parquet.KeyWindow;
import dev.probe.rows.sort.MergeRuns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
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
 * read, a buffer at a time; with {@link ProbeRowSettings#withAssumeOrdered} they take the runs the
 * files already hold (see {@link ReadSlices}), and where files each sorted by key overlap, merge
 * key ranges of them without a shuffle ({@link KeyWindow}). Either way each shard's runs are ordered
 * by their first event and merged, so the output is the same.
 *
 * <p>Events are grouped by shard (a hash of the key), not by key: a handful of large groups keeps
 * per-group overhead (the DirectRunner's above all) out of the cost, and each shard's sorted stream
 * becomes exactly one output file without a second shuffle. The sorts spill to disk, so memory does
 * not depend on data size or on the largest key. {@link Shards} spreads shards and row groups
 * evenly over the workers where the runner's hash is known.
 *
 * <p>Returns the committed file paths.
 */
public final class ParquetProbeRows extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final List<FileSlice> slices;

  /** Each slice's key range from its statistics, null where unknown. */
  private final List<KeyRange> keyRanges;

  /** Whether each slice's statistics say its keys are all null. */
  private final List<Boolean> keyless;

  /** Each slice's compressed size. */
  private final List<Long> compressedBytes;

  private final long inputRows;
  private final ProbeRowSettings settings;

  private ParquetProbeRows(
      List<FileSlice> slices,
      List<KeyRange> keyRanges,
      List<Boolean> keyless,
      List<Long> compressedBytes,
      long inputRows,
      ProbeRowSettings settings) {
    this.slices = slices;
    this.keyRanges = keyRanges;
    this.keyless = keyless;
    this.compressedBytes = compressedBytes;
    this.inputRows = inputRows;
    this.settings = settings;
  }

  /** Reads every row group of {@code plan} and writes probe rows as {@code settings} say. */
  public static ParquetProbeRows from(InputPlan plan, ProbeRowSettings settings) {
    return new ParquetProbeRows(
        plan.slices(),
        KeyRange.of(plan, settings.schema()),
        KeyRange.keyless(plan, settings.schema()),
        plan.compressedBytes(),
        plan.rowCount(),
        settings);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    // Largest first, dealt to the workers in turn: in file order a file's large row groups
    // would all go to one reader and its small remainders to the other.
    List<KeyWindow> largestFirst = new ArrayList<>(readUnits());
    largestFirst.sort(Comparator.comparingLong(KeyWindow::rowCount).reversed());
    List<KV<Integer, KeyWindow>> dealt = new ArrayList<>();
    for (KeyWindow unit : largestFirst) {
      dealt.add(KV.of(settings.shards().rowGroupKey(dealt.size()), unit));
    }
    PCollection<KeyWindow> rowGroups =
        begin
            .apply(
                "ListRowGroups",
                Create.of(dealt).withCoder(KvCoder.of(Shards.KEY_CODER, KeyWindow.CODER)))
            .apply("DealRowGroups", GroupByKey.create())
            .apply("RowGroupsOfEachReader", Values.create())
            .apply("EachRowGroup", Flatten.iterables());
    return rowGroups
        .apply(
            settings.assumeOrdered() ? "ReadRunsAsRead" : "ReadSortingRuns",
            ReadSlices.of(settings))
        .apply("GroupByShard", GroupByKey.create())
        .apply("MergeRuns", MergeRuns.withSorter(settings.sorter()))
        .apply("WriteProbeRows", WriteProbeRows.to(settings, inputRows));
  }

  /**
   * What each reader call reads. Sorting, or assuming order where files overlap unsorted, whole row
   * groups; assuming order on files each sorted by key that overlap one another, key windows
   * merged from them; where files do not overlap, whole row groups that write the keys they alone
   * hold.
   */
  private List<KeyWindow> readUnits() {
    List<KeyWindow> windows =
        settings.assumeOrdered()
            ? KeyWindow.plan(
                slices,
                keyRanges,
                keyless,
                compressedBytes,
                settings.shards().count(),
                settings.sortBufferBytes())
            : List.of();
    if (!windows.isEmpty()) {
      return windows;
    }
    List<FileSlice> planned = settings.assumeOrdered() ? KeyRange.plan(slices, keyRanges) : slices;
    return planned.stream().map(KeyWindow::whole).collect(Collectors.toList());
  }
}
