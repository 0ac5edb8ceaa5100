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
  private final String ownKeysFile;
  private final long ownKeysEvents;

  SliceSummary(
      int fileIndex,
      int rowGroup,
      long rowsRead,
      long rejected,
      String rejectsPath,
      String ownKeysFile,
      long ownKeysEvents) {
    this.fileIndex = fileIndex;
    this.rowGroup = rowGroup;
    this.rowsRead = rowsRead;
    this.rejected = rejected;
    this.rejectsPath = rejectsPath;
    this.ownKeysFile = ownKeysFile;
    this.ownKeysEvents = ownKeysEvents;
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

  /**
   * The name, in the run's temporary folder, of the probe rows of the keys this row group alone
   * holds, written by its reader (see {@link KeyRange}); null when there is none.
   */
  String ownKeysFile() {
    return ownKeysFile;
  }

  /** The events in {@link #ownKeysFile}. */
  long ownKeysEvents() {
    return ownKeysEvents;
  }

  /**
   * One line: file index, row group, rows read, rows rejected, own keys' events, own keys' file
   * name, rejects path (name and path may be empty; the path, last, may hold tabs).
   */
  String toLine() {
    return String.join(
        "\t",
        String.valueOf(fileIndex),
        String.valueOf(rowGroup),
        String.valueOf(rowsRead),
        String.valueOf(rejected),
        String.valueOf(ownKeysEvents),
        ownKeysFile == null ? "" : ownKeysFile,
        rejectsPath == null ? "" : rejectsPath);
  }

  static SliceSummary fromLine(String line) {
    String[] fields = line.split("\t", 7);
    if (fields.length != 7) {
      throw new IllegalStateException("not a row group summary: " + line);
    }
    return new SliceSummary(
        Integer.parseInt(fields[0]),
        Integer.parseInt(fields[1]),
        Long.parseLong(fields[2]),
        Long.parseLong(fields[3]),
        fields[6].isEmpty() ? null : fields[6],
        fields[5].isEmpty() ? null : fields[5],
        Long.parseLong(fields[4]));
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
        && Objects.equals(rejectsPath, that.rejectsPath)
        && Objects.equals(ownKeysFile, that.ownKeysFile)
        && ownKeysEvents == that.ownKeysEvents;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        fileIndex, rowGroup, rowsRead, rejected, rejectsPath, ownKeysFile, ownKeysEvents);
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
