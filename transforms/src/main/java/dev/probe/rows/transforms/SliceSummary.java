package dev.probe.rows.transforms;

import java.util.Objects;

/**
 * What reading one row group produced: the commit checks these add up before it publishes. Each is
 * left as a small text file in the run's staging folder ({@link OutputDirectory#recordSlice})
 * rather than sent down the pipeline: a second output of the reader would stop Flink from streaming
 * the reader's output into the shuffle (it put the whole output on disk first, about 11 s of 50 at
 * 20M events).
 */
public final class SliceSummary {
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

  /** One line: file index, row group, rows read, rows rejected, rejects path (may be empty). */
  String toLine() {
    return String.join(
        "\t",
        String.valueOf(fileIndex),
        String.valueOf(rowGroup),
        String.valueOf(rowsRead),
        String.valueOf(rejected),
        rejectsPath == null ? "" : rejectsPath);
  }

  static SliceSummary fromLine(String line) {
    String[] fields = line.split("\t", 5);
    if (fields.length != 5) {
      throw new IllegalStateException("not a row group summary: " + line);
    }
    return new SliceSummary(
        Integer.parseInt(fields[0]),
        Integer.parseInt(fields[1]),
        Long.parseLong(fields[2]),
        Long.parseLong(fields[3]),
        fields[4].isEmpty() ? null : fields[4]);
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
