package dev.probe.rows.pipeline.diagnose;

import dev.probe.rows.pipeline.diagnose.OrderCheck.FileOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.schema.PrimitiveType;

/** What {@code diagnose} found, and what follows from it for a {@code run}. */
final class Diagnosis {
  /** What a run with {@code --assumeOrdered} and {@code numShards} shards would count. */
  static final class OrderedRun {
    final int numShards;
    final int rowGroups;

    /** Rows that go back in time within their key's run in its row group and shard. */
    final long orderViolations;

    final long rowGroupsOwnKeysWritten;

    /** Row groups whose own keys fell out of key order: the fallback, a second reading. */
    final long rowGroupsOwnKeysAbandoned;

    /** Key windows merged from files each sorted by key, without a shuffle. */
    final long keyRangesMerged;

    /** Key windows in which a file was out of order: the fallback, a second reading. */
    final long keyRangesFallenBack;

    OrderedRun(
        int numShards,
        int rowGroups,
        long orderViolations,
        long rowGroupsOwnKeysWritten,
        long rowGroupsOwnKeysAbandoned,
        long keyRangesMerged,
        long keyRangesFallenBack) {
      this.numShards = numShards;
      this.rowGroups = rowGroups;
      this.orderViolations = orderViolations;
      this.rowGroupsOwnKeysWritten = rowGroupsOwnKeysWritten;
      this.rowGroupsOwnKeysAbandoned = rowGroupsOwnKeysAbandoned;
      this.keyRangesMerged = keyRangesMerged;
      this.keyRangesFallenBack = keyRangesFallenBack;
    }
  }

  static final int LARGEST_KEYS_SHOWN = 5;

  /** Above this, a single probe row is worth splitting with --maxEventsPerRow. */
  static final long LARGE_ROW_BYTES = 256L << 20;

  final String input;
  final String keyColumn;
  final String sortColumn;
  final PrimitiveType keyType;
  final int fileCount;
  final List<FileOrder> files;
  final long rows;
  final long nullKeyRows;
  final long nullSortRows;
  /**
   * Rows earlier in time than an earlier row of their key, in input order (files by name, then
   * rows); a lower bound when {@link #estimated}.
   */
  final long rowsGoingBack;

  /** Keys with such rows; a lower bound when {@link #estimated}. */
  final long keysGoingBack;

  final long keyRuns;
  final long uncompressedBytes;

  /**
   * True when the key counts outgrew memory: distinct keys and sizes are then estimates, and keys
   * outside the sample are only checked for going back in time within their runs.
   */
  final boolean estimated;

  final long distinctKeys;
  final long medianEvents;
  final long p99Events;
  final long maxEvents;
  final List<KeyCount> largestKeys;
  final OrderedRun orderedRun;
  final double seconds;

  Diagnosis(
      DiagnoseOptions options,
      PrimitiveType keyType,
      int fileCount,
      List<FileOrder> files,
      KeyCounter eventsPerKey,
      OrderedRun orderedRun,
      double seconds) {
    this.input = options.getInput();
    this.keyColumn = options.getKeyColumn();
    this.sortColumn = options.getSortColumn();
    this.keyType = keyType;
    this.fileCount = fileCount;
    this.files = List.copyOf(files);
    this.rows = files.stream().mapToLong(f -> f.rows).sum();
    this.nullKeyRows = files.stream().mapToLong(f -> f.nullKeyRows).sum();
    this.nullSortRows = files.stream().mapToLong(f -> f.nullSortRows).sum();
    this.rowsGoingBack = files.stream().mapToLong(f -> f.rowsGoingBack).sum();
    this.keyRuns = files.stream().mapToLong(f -> f.keyRuns).sum();
    this.uncompressedBytes = files.stream().mapToLong(f -> f.uncompressedBytes).sum();
    this.estimated = eventsPerKey.isSampled();
    // A row found going back is real even for a key outside the sample.
    this.keysGoingBack = Math.max(eventsPerKey.keysThatWentBack(), Math.min(1, rowsGoingBack));
    this.distinctKeys = eventsPerKey.distinctKeys();
    long[] counts = eventsPerKey.counts();
    Arrays.sort(counts);
    this.medianEvents = quantile(counts, 0.5);
    this.p99Events = quantile(counts, 0.99);
    this.largestKeys = eventsPerKey.largest(LARGEST_KEYS_SHOWN);
    this.maxEvents =
        Math.max(quantile(counts, 1), largestKeys.isEmpty() ? 0 : largestKeys.get(0).events());
    this.orderedRun = orderedRun;
    this.seconds = seconds;
  }

  /**
   * The nearest-rank quantile, the value at rank ceil(n q), computed as DuckDB's quantile_disc does
   * so that a q whose n q is an integer is not pushed up a rank by rounding.
   */
  private static long quantile(long[] sorted, double q) {
    int n = sorted.length;
    return n == 0 ? 0 : sorted[Math.max(1, n - (int) Math.floor(n - n * q)) - 1];
  }

  /** Rows that become events of a run: those with a key and a sort value. */
  long events() {
    return rows - nullKeyRows - nullSortRows;
  }

  /**
   * Whether a run with {@code --assumeOrdered} needs neither its fallback (no row group's own keys
   * and no key window's files fall out of order) nor any merge that reorders a key's events (no key's time goes back): true,
   * false, or null when an estimate could hide a key going back.
   */
  Boolean assumeOrderedIsSafe() {
    if (rowsGoingBack > 0
        || orderedRun.rowGroupsOwnKeysAbandoned > 0
        || orderedRun.keyRangesFallenBack > 0) {
      return false;
    }
    return estimated ? null : true;
  }

  /** Uncompressed input bytes per row, all columns: what an event costs in a Parquet writer. */
  long bytesPerRow() {
    return rows == 0 ? 0 : (uncompressedBytes + rows - 1) / rows;
  }

  /** The largest probe row, which a run's Parquet writer holds whole until the row ends. */
  long largestRowBytes() {
    return maxEvents * bytesPerRow();
  }

  /** A --maxEventsPerRow that keeps each row near {@link #LARGE_ROW_BYTES}, or 0 if not needed. */
  long suggestedMaxEventsPerRow() {
    return largestRowBytes() > LARGE_ROW_BYTES ? LARGE_ROW_BYTES / Math.max(1, bytesPerRow()) : 0;
  }
}
