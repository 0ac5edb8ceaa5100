package dev.probe.rows.pipeline;

import dev.probe.rows.transforms.KeyTimeScanner;
import java.util.Arrays;

/**
 * Follows the rows of one file at a time: are a key's adjacent rows in time order (what {@code
 * --assumeOrdered} relies on), and how many events does each key have. Only rows with a key and a
 * sort value count here, as only they become events of a {@code run}.
 */
final class OrderCheck implements KeyTimeScanner.RowVisitor {
  /** What one file holds. */
  static final class FileOrder {
    final String path;
    long rows;
    long nullKeyRows;
    long nullSortRows;

    /** Adjacent rows of one key whose sort value goes down. */
    long orderViolations;

    /** Maximal runs of rows with the same key. */
    long keyRuns;

    /** Uncompressed bytes of all columns, from the footer. */
    long uncompressedBytes;

    FileOrder(String path) {
      this.path = path;
    }
  }

  private final KeyCounter eventsPerKey;
  private FileOrder file;
  private byte[] runKey;
  private long runLength;
  private byte[] previousSortValue;

  OrderCheck(KeyCounter eventsPerKey) {
    this.eventsPerKey = eventsPerKey;
  }

  FileOrder check(KeyTimeScanner scanner, String path, long sizeBytes) {
    file = new FileOrder(path);
    file.uncompressedBytes = scanner.scanFile(path, sizeBytes, this);
    endRun();
    runKey = null;
    return file;
  }

  @Override
  public void row(byte[] key, byte[] sortValue) {
    file.rows++;
    if (key == null) {
      file.nullKeyRows++;
      return;
    }
    if (sortValue == null) {
      file.nullSortRows++;
      return;
    }
    if (runKey != null && Arrays.equals(key, runKey)) {
      runLength++;
      if (Arrays.compareUnsigned(sortValue, previousSortValue) < 0) {
        file.orderViolations++;
      }
    } else {
      endRun();
      runKey = key;
      runLength = 1;
      file.keyRuns++;
    }
    previousSortValue = sortValue;
  }

  /** Counting a run at once costs one lookup per run: sorted input runs faster. */
  private void endRun() {
    if (runKey != null) {
      eventsPerKey.add(runKey, runLength);
    }
  }
}
