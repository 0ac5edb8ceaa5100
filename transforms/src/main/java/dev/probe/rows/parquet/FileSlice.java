package dev.probe.rows.parquet;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One row group of one input file: the unit of parallel reading. {@code fileIndex} is the file's
 * rank in name order and {@code firstRow} the row group's first row within its file; together they
 * give each event its input position, which breaks ties in the sort column.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class FileSlice implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int fileIndex;
  private final String path;
  private final long fileSize;
  private final int rowGroup;
  private final long firstRow;
  private final long rowCount;
  private final KeyRange keyRange;

  public FileSlice(
      int fileIndex, String path, long fileSize, int rowGroup, long firstRow, long rowCount) {
    this(fileIndex, path, fileSize, rowGroup, firstRow, rowCount, null);
  }

  private FileSlice(
      int fileIndex,
      String path,
      long fileSize,
      int rowGroup,
      long firstRow,
      long rowCount,
      KeyRange keyRange) {
    this.fileIndex = fileIndex;
    this.path = path;
    this.fileSize = fileSize;
    this.rowGroup = rowGroup;
    this.firstRow = firstRow;
    this.rowCount = rowCount;
    this.keyRange = keyRange;
  }

  FileSlice withKeyRange(KeyRange range) {
    return new FileSlice(fileIndex, path, fileSize, rowGroup, firstRow, rowCount, range);
  }

  /** The range of this row group's keys, planned by {@link KeyRange#plan}; null if unknown. */
  public KeyRange keyRange() {
    return keyRange;
  }

  public int fileIndex() {
    return fileIndex;
  }

  public String path() {
    return path;
  }

  long fileSize() {
    return fileSize;
  }

  public int rowGroup() {
    return rowGroup;
  }

  public long firstRow() {
    return firstRow;
  }

  public long rowCount() {
    return rowCount;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof FileSlice)) {
      return false;
    }
    FileSlice that = (FileSlice) other;
    return fileIndex == that.fileIndex
        && path.equals(that.path)
        && fileSize == that.fileSize
        && rowGroup == that.rowGroup
        && firstRow == that.firstRow
        && rowCount == that.rowCount
        && Objects.equals(keyRange, that.keyRange);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileIndex, path, fileSize, rowGroup, firstRow, rowCount, keyRange);
  }

  @Override
  public String toString() {
    return path + " row group " + rowGroup;
  }
}
