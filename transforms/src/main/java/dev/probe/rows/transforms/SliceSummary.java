package dev.probe.rows.transforms;

import java.io.Serializable;
import java.util.Objects;

/** What reading one row group produced: the commit checks these add up before it publishes. */
public final class SliceSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int fileIndex;
  private final int rowGroup;
  private final long rowsRead;
  private final long rejected;
  private final String rejectsPath;

  SliceSummary(int fileIndex, int rowGroup, long rowsRead, long rejected, String rejectsPath) {
    this.fileIndex = fileIndex;
    this.rowGroup = rowGroup;
    this.rowsRead = rowsRead;
    this.rejected = rejected;
    this.rejectsPath = rejectsPath;
  }

  int fileIndex() {
    return fileIndex;
  }

  int rowGroup() {
    return rowGroup;
  }

  long rowsRead() {
    return rowsRead;
  }

  long rejected() {
    return rejected;
  }

  /** The temporary file of this row group's rejected rows; null when there were none. */
  String rejectsPath() {
    return rejectsPath;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof SliceSummary)) {
      return false;
    }
    SliceSummary that = (SliceSummary) other;
    return fileIndex == that.fileIndex
        && rowGroup == that.rowGroup
        && rowsRead == that.rowsRead
        && rejected == that.rejected
        && Objects.equals(rejectsPath, that.rejectsPath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileIndex, rowGroup, rowsRead, rejected, rejectsPath);
  }

  @Override
  public String toString() {
    return "file "
        + fileIndex
        + " row group "
        + rowGroup
        + ": "
        + rowsRead
        + " rows, "
        + rejected
        + " rejected";
  }
}
