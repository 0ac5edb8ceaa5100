package dev.probe.rows.pipeline.diagnose;

import dev.probe.rows.diagnose.KeyTimeScanner;
import dev.probe.rows.parquet.FileSlice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows the rows of the input in order (files by name, then rows): does a key's time ever go
 * back, against every earlier row of the key however far back and in whichever file, and how many
 * events does each key have. Only rows with a key and a sort value count here, as only they become
 * events of a {@code run}.
 *
 * <p>A key's latest time lives in the {@link KeyCounter} between its runs of consecutive rows, so a
 * run costs two lookups; once the counter samples keys, a key outside the sample is only checked
 * within its runs, so the rows found going back are then a lower bound.
 */
final class OrderCheck implements KeyTimeScanner.RowVisitor {
  /** What one file holds. */
  static final class FileOrder {
    final String path;
    long rows;
    long nullKeyRows;
    long nullSortRows;

    /** Rows earlier in time than an earlier row of their key, in this file or an earlier one. */
    long rowsGoingBack;

    /** Maximal runs of rows with the same key. */
    long keyRuns;

    /** Uncompressed bytes of all columns, from the footer. */
    long uncompressedBytes;

    FileOrder(String path) {
      this.path = path;
    }
  }

  private final KeyCounter eventsPerKey;
  private final List<FileOrder> files = new ArrayList<>();
  private FileOrder file;
  private byte[] runKey;
  private long runLength;
  private boolean runWentBack;

  /** The run's key's latest time so far, packed by {@link KeyCounter#packHigh} and packLow. */
  private long latestHigh;

  private long latestLow;
  private final long[] latest = new long[2];

  OrderCheck(KeyCounter eventsPerKey) {
    this.eventsPerKey = eventsPerKey;
  }

  /** The files with rows, in input order; call once every row has been visited. */
  List<FileOrder> files() {
    endRun();
    runKey = null;
    return files;
  }

  @Override
  public void rowGroup(FileSlice slice, long uncompressedBytes) {
    if (file == null || !file.path.equals(slice.path())) {
      endRun();
      runKey = null;
      file = new FileOrder(slice.path());
      files.add(file);
    }
    file.uncompressedBytes += uncompressedBytes;
  }

  @Override
  public void rejected(boolean nullKey) {
    file.rows++;
    if (nullKey) {
      file.nullKeyRows++;
    } else {
      file.nullSortRows++;
    }
  }

  @Override
  public void event(byte[] key, byte[] sortValue) {
    file.rows++;
    long high = KeyCounter.packHigh(sortValue);
    long low = KeyCounter.packLow(sortValue);
    if (runKey == null || !Arrays.equals(key, runKey)) {
      endRun();
      runKey = key;
      runLength = 0;
      runWentBack = false;
      file.keyRuns++;
      if (eventsPerKey.latest(key, latest)) {
        latestHigh = latest[0];
        latestLow = latest[1];
      } else {
        latestHigh = high;
        latestLow = low;
      }
    }
    runLength++;
    if (KeyCounter.later(latestHigh, latestLow, high, low)) {
      file.rowsGoingBack++;
      runWentBack = true;
    } else {
      latestHigh = high;
      latestLow = low;
    }
  }

  /** Counting a run at once costs two lookups per run: sorted input runs faster. */
  private void endRun() {
    if (runKey != null) {
      eventsPerKey.add(runKey, runLength, latestHigh, latestLow, runWentBack);
    }
  }
}
