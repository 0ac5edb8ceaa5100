package dev.probe.rows.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

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

  /**
   * Slices travel through a shuffle, one element per row group: Java serialization, a
   * SerializableCoder's, cost inputs of many small files more than reading them.
   */
  public static final Coder<FileSlice> CODER = new SliceCoder();

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

  private static final class SliceCoder extends AtomicCoder<FileSlice> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(FileSlice slice, OutputStream out) throws IOException {
      VarInt.encode(slice.fileIndex, out);
      StringUtf8Coder.of().encode(slice.path, out);
      VarInt.encode(slice.fileSize, out);
      VarInt.encode(slice.rowGroup, out);
      VarInt.encode(slice.firstRow, out);
      VarInt.encode(slice.rowCount, out);
      KeyRange.encode(slice.keyRange, out);
    }

    @Override
    public FileSlice decode(InputStream in) throws IOException {
      return new FileSlice(
          VarInt.decodeInt(in),
          StringUtf8Coder.of().decode(in),
          VarInt.decodeLong(in),
          VarInt.decodeInt(in),
          VarInt.decodeLong(in),
          VarInt.decodeLong(in),
          KeyRange.decode(in));
    }
  }
}
