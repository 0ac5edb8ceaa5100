package dev.probe.rows.diagnose;

import dev.probe.rows.InputPlan;
import dev.probe.rows.InvalidInputException;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.ProbeRowSettings;
import dev.probe.rows.ProbeRowsMetrics;
import dev.probe.rows.events.EventKeys;
import dev.probe.rows.parquet.FileSlice;
import dev.probe.rows.parquet.KeyRange;
import dev.probe.rows.parquet.KeyWindow;
import dev.probe.rows.parquet.ProbeRowFile;
import dev.probe.rows.parquet.RejectedRow;
import dev.probe.rows.parquet.SliceReader;
import dev.probe.rows.sort.RunChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Reads only the key and sort columns of every row group, in input order, as {@code
 * ReadSlices.readAsRead} reads them for a run with {@code --assumeOrdered}, and counts what that
 * read would count ({@link OrderedReadCounts}) without shipping or writing anything. It decides
 * with the run's own code: {@link KeyRange#plan} for the row groups that write their own keys, {@link
 * ProbeRowFile#follows} for whether they stay in order, and {@link RunChunk.Builder#continuation},
 * per shard and row group, for whether a row goes back in time within its key's run.
 *
 * <p>A {@link RowVisitor} sees each row once, with its key and sort value in the encodings {@code
 * run} uses (see {@code RowEncoder}): equal keys have equal bytes, and unsigned byte order of sort
 * values is value order. For reports on the input, such as whether it is in time order per key.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class KeyTimeScanner {
  /** Receives the rows of the input in order: files by name, then rows. */
  public interface RowVisitor {
    /** Called before the rows of each row group. */
    void rowGroup(FileSlice slice, long uncompressedBytes);

    /**
     * A row with a key and a sort value. The arrays are fresh for every row, so the visitor may
     * keep them.
     */
    void event(byte[] key, byte[] sortValue);

    /** A row whose key is null ({@code nullKey}), or else whose sort value is null. */
    void rejected(boolean nullKey);
  }

  /** What the ordered read path of a run would count on the input. */
  public static final class OrderedReadCounts {
    private long orderViolations;
    private long rowGroupsOwnKeysWritten;
    private long rowGroupsOwnKeysAbandoned;
    private long keyRangesMerged;
    private long keyRangesFallenBack;

    /** As {@link ProbeRowsMetrics#ORDER_VIOLATIONS}. */
    public long orderViolations() {
      return orderViolations;
    }

    /** As {@link ProbeRowsMetrics#ROW_GROUPS_OWN_KEYS_WRITTEN}. */
    public long rowGroupsOwnKeysWritten() {
      return rowGroupsOwnKeysWritten;
    }

    /** As {@link ProbeRowsMetrics#ROW_GROUPS_OWN_KEYS_ABANDONED}. */
    public long rowGroupsOwnKeysAbandoned() {
      return rowGroupsOwnKeysAbandoned;
    }

    /** As {@link ProbeRowsMetrics#KEY_RANGES_MERGED}. */
    public long keyRangesMerged() {
      return keyRangesMerged;
    }

    /** As {@link ProbeRowsMetrics#KEY_RANGES_FALLEN_BACK}. */
    public long keyRangesFallenBack() {
      return keyRangesFallenBack;
    }
  }

  /** Stops a row group's first reading where its own keys fall out of order, as the run does. */
  private static final class OwnKeysOutOfOrder extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OwnKeysOutOfOrder() {
      super(null, null, false, false);
    }
  }

  private final InputPlan plan;
  // A schema of the key and sort columns only: its readers read a two-field record.
  private final ProbeRowSchema keyAndSort;

  private KeyTimeScanner(InputPlan plan, ProbeRowSchema keyAndSort) {
    this.plan = plan;
    this.keyAndSort = keyAndSort;
  }

  /** @throws InvalidInputException as {@code run} would, when a column is missing or unusable */
  public static KeyTimeScanner of(InputPlan plan, String keyColumn, String sortColumn) {
    return new KeyTimeScanner(
        plan, ProbeRowSchema.of(plan.schema(), keyColumn, sortColumn, List.of(sortColumn)));
  }

  /**
   * Visits every row of the input, and counts what a run's ordered read would with {@code
   * numShards} shards.
   *
   * @throws InvalidInputException when a file cannot be read, or a row group holds a key outside
   *     its footer's statistics (which fails a run that assumes order too)
   */
  public OrderedReadCounts scan(int numShards, int sortMemoryMb, RowVisitor visitor) {
    List<KeyRange> ranges = KeyRange.of(plan, keyAndSort);
    SliceReader reader = new SliceReader(keyAndSort);
    OrderedReadCounts counts = new OrderedReadCounts();
    List<KeyWindow> windows =
        KeyWindow.plan(
            plan.slices(),
            ranges,
            KeyRange.keyless(plan, keyAndSort),
            plan.compressedBytes(),
            numShards,
            ProbeRowSettings.sortBufferBytes(sortMemoryMb));
    if (!windows.isEmpty()) {
      new WindowsScan(windows, numShards, visitor, counts).scan(plan, reader);
      return counts;
    }
    List<FileSlice> slices = KeyRange.plan(plan.slices(), ranges);
    for (int i = 0; i < slices.size(); i++) {
      visitor.rowGroup(slices.get(i), plan.uncompressedBytes(i));
      new RowGroupScan(slices.get(i), reader, numShards, visitor, counts).scan();
    }
    return counts;
  }

  /**
   * Every row group once, in input order, each row counted for the key window that holds it as
   * {@code ReadSlices.readMerging} would: a window falls back where a file's rows in it go back in
   * event key order, and then ships its rows as read, window by window.
   */
  private static final class WindowsScan {
    private final List<KeyWindow> windows;
    private final RowVisitor visitor;
    private final OrderedReadCounts counts;
    private final Map<List<Integer>, List<KeyWindow>> windowsOfSlice = new HashMap<>();
    private final Map<List<Integer>, FileSlice> rangedSlice = new HashMap<>();
    private final RunChunk.Builder[][] runs;
    private final long[] violations;
    private final boolean[] outOfOrder;
    // Each window's last event key in the file being read; input order reads files one by one.
    private final byte[][] lastEventKey;
    private final int[] lastLength;

    WindowsScan(
        List<KeyWindow> windows, int numShards, RowVisitor visitor, OrderedReadCounts counts) {
      this.windows = windows;
      this.visitor = visitor;
      this.counts = counts;
      this.runs = new RunChunk.Builder[windows.size()][numShards];
      this.violations = new long[windows.size()];
      this.outOfOrder = new boolean[windows.size()];
      this.lastEventKey = new byte[windows.size()][64];
      this.lastLength = new int[windows.size()];
      for (KeyWindow window : windows) {
        for (FileSlice slice : window.slices()) {
          List<Integer> place = List.of(slice.fileIndex(), slice.rowGroup());
          windowsOfSlice.computeIfAbsent(place, p -> new ArrayList<>()).add(window);
          rangedSlice.put(place, slice);
        }
      }
    }

    void scan(InputPlan plan, SliceReader reader) {
      for (int i = 0; i < plan.slices().size(); i++) {
        FileSlice planned = plan.slices().get(i);
        List<Integer> place = List.of(planned.fileIndex(), planned.rowGroup());
        FileSlice slice = rangedSlice.get(place);
        List<KeyWindow> ofSlice = windowsOfSlice.get(place);
        if (i == 0 || planned.fileIndex() != plan.slices().get(i - 1).fileIndex()) {
          Arrays.fill(lastLength, 0);
        }
        visitor.rowGroup(planned, plan.uncompressedBytes(i));
        reader.read(
            slice,
            row -> {
              RowGroupScan.visit(visitor, row);
              KeyRange.checkMerged(slice, row);
              KeyWindow window = holding(ofSlice, slice, row);
              checkOrder(window, row);
              if (RowGroupScan.addToRun(runs[window.index()], row)) {
                violations[window.index()]++;
              }
            },
            (columns, rowInFile, reason) ->
                visitor.rejected(RejectedRow.NULL_KEY.equals(reason)));
      }
      for (KeyWindow window : windows) {
        if (outOfOrder[window.index()]) {
          counts.keyRangesFallenBack++;
          counts.orderViolations += violations[window.index()];
        } else {
          counts.keyRangesMerged++;
        }
      }
    }

    private static KeyWindow holding(List<KeyWindow> windows, FileSlice slice, SliceReader row) {
      for (KeyWindow window : windows) {
        if (window.holds(row.eventKey().array(), row.keyEnd())) {
          return window;
        }
      }
      throw new IllegalStateException("no key window holds a key of " + slice);
    }

    /** A window's file stream must rise in event key order, or its merge falls back. */
    private void checkOrder(KeyWindow window, SliceReader row) {
      int w = window.index();
      byte[] eventKey = row.eventKey().array();
      int length = row.eventKey().size();
      if (lastLength[w] > 0
          && !ProbeRowFile.follows(eventKey, length, lastEventKey[w], lastLength[w])) {
        outOfOrder[w] = true;
      }
      if (lastEventKey[w].length < length) {
        lastEventKey[w] = new byte[2 * length];
      }
      System.arraycopy(eventKey, 0, lastEventKey[w], 0, length);
      lastLength[w] = length;
    }
  }

  /** One row group, read as {@code ReadSlices.readAsRead} reads it. */
  private static final class RowGroupScan {
    private static final byte[] NO_EVENT = new byte[0];

    private final FileSlice slice;
    private final SliceReader reader;
    private final RowVisitor visitor;
    private final OrderedReadCounts counts;
    private final RunChunk.Builder[] runs;
    private final boolean writesOwnKeys;
    private final BitSet shipped = new BitSet();
    private byte[] lastOwnKey = new byte[64];
    private int lastOwnLength;
    private int seen;

    RowGroupScan(
        FileSlice slice,
        SliceReader reader,
        int numShards,
        RowVisitor visitor,
        OrderedReadCounts counts) {
      this.slice = slice;
      this.reader = reader;
      this.visitor = visitor;
      this.counts = counts;
      this.runs = new RunChunk.Builder[numShards];
      KeyRange range = slice.keyRange();
      this.writesOwnKeys = range != null && range.exclusive();
    }

    void scan() {
      try {
        reader.read(
            slice,
            row -> {
              visit(row);
              seen = row.rowInSlice() + 1;
              KeyRange.Place place = KeyRange.placeOf(slice, row);
              if (writesOwnKeys) {
                if (place == KeyRange.Place.INSIDE) {
                  writeOwnKey(row);
                  return;
                }
                shipped.set(row.rowInSlice());
              }
              addToRun(row);
            },
            this::reject);
      } catch (OwnKeysOutOfOrder e) {
        counts.rowGroupsOwnKeysAbandoned++;
        shipUnshipped();
        return;
      }
      if (writesOwnKeys) {
        counts.rowGroupsOwnKeysWritten++;
      }
    }

    /** The row group's second reading, after its own keys fell out of order. */
    private void shipUnshipped() {
      int firstUnseen = seen;
      reader.read(
          slice,
          row -> {
            if (row.rowInSlice() >= firstUnseen) {
              visit(row);
              KeyRange.placeOf(slice, row);
            }
            if (!shipped.get(row.rowInSlice())) {
              addToRun(row);
            }
          },
          (columns, rowInFile, reason) -> {
            if (rowInFile - slice.firstRow() >= firstUnseen) {
              reject(columns, rowInFile, reason);
            }
          });
    }

    private void writeOwnKey(SliceReader row) {
      byte[] eventKey = row.eventKey().array();
      int length = row.eventKey().size();
      if (lastOwnLength > 0 && !ProbeRowFile.follows(eventKey, length, lastOwnKey, lastOwnLength)) {
        throw new OwnKeysOutOfOrder();
      }
      if (lastOwnKey.length < length) {
        lastOwnKey = new byte[length];
      }
      System.arraycopy(eventKey, 0, lastOwnKey, 0, length);
      lastOwnLength = length;
    }

    private void addToRun(SliceReader row) {
      if (addToRun(runs, row)) {
        counts.orderViolations++;
      }
    }

    /**
     * As {@code ReadSlices}' addToRun, keeping the event keys only; true if the row goes back in
     * time within its key.
     */
    static boolean addToRun(RunChunk.Builder[] runs, SliceReader row) {
      byte[] eventKey = row.eventKey().array();
      int length = row.eventKey().size();
      int keyEnd = row.keyEnd();
      int shard = EventKeys.shard(EventKeys.hash(eventKey, 0, keyEnd), runs.length);
      if (runs[shard] == null) {
        runs[shard] = new RunChunk.Builder();
      }
      RunChunk.Continuation continuation = runs[shard].continuation(eventKey, length, keyEnd);
      if (continuation != RunChunk.Continuation.SAME_RUN) {
        runs[shard].build();
      }
      runs[shard].append(eventKey, 0, length, NO_EVENT, 0, 0);
      return continuation == RunChunk.Continuation.GOES_BACK;
    }

    private void visit(SliceReader row) {
      visit(visitor, row);
    }

    static void visit(RowVisitor visitor, SliceReader row) {
      byte[] eventKey = row.eventKey().array();
      int keyEnd = row.keyEnd();
      // After the sort value: the file index (4 bytes) and the row in the file (8 bytes).
      int sortEnd = row.eventKey().size() - 12;
      visitor.event(
          EventKeys.key(Arrays.copyOf(eventKey, keyEnd)),
          Arrays.copyOfRange(eventKey, keyEnd, sortEnd));
    }

    private void reject(byte[] columns, long rowInFile, String reason) {
      visitor.rejected(RejectedRow.NULL_KEY.equals(reason));
    }
  }
}
