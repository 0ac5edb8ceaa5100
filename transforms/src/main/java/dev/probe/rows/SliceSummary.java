package dev.probe.rows;

import dev.probe.rows.parquet.Fingerprint;
import dev.probe.rows.parquet.KeyRange;
import dev.probe.rows.parquet.KeyWindow;
import java.util.Objects;

/**
 * What reading one row group produced: the commit checks these add up before it publishes. A
 * reader's bundle leaves them in a file in the run's staging folder ({@link
 * OutputDirectory#recordSlices}) rather than sending them down the pipeline: a second output of the
 * reader would stop Flink from streaming the reader's output into the shuffle (Flink then puts the
 * whole output on disk first).
 */
final class SliceSummary {
  private final int fileIndex;
  private final int rowGroup;
  private final int window;
  private final long rowsRead;
  private final long rejected;
  private final Fingerprint read;
  private final String rejectsPath;
  private final String ownKeysFile;
  private final Fingerprint ownKeys;

  SliceSummary(
      int fileIndex,
      int rowGroup,
      int window,
      long rowsRead,
      long rejected,
      Fingerprint read,
      String rejectsPath,
      String ownKeysFile,
      Fingerprint ownKeys) {
    this.fileIndex = fileIndex;
    this.rowGroup = rowGroup;
    this.window = window;
    this.rowsRead = rowsRead;
    this.rejected = rejected;
    this.read = read;
    this.rejectsPath = rejectsPath;
    this.ownKeysFile = ownKeysFile;
    this.ownKeys = ownKeys;
  }

  int fileIndex() {
    return fileIndex;
  }

  int rowGroup() {
    return rowGroup;
  }

  /**
   * The key window whose rows of the row group this summary counts ({@link KeyWindow#index}); 0
   * where the row group was read whole.
   */
  int window() {
    return window;
  }

  /** The rows of the row group in its window: all of them where it was read whole. */
  long rowsRead() {
    return rowsRead;
  }

  long rejected() {
    return rejected;
  }

  /** The events read, those whose key and sort value are not null, as they were read. */
  Fingerprint read() {
    return read;
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

  /** The events written to {@link #ownKeysFile}, as they were handed to its writer. */
  Fingerprint ownKeys() {
    return ownKeys;
  }

  /** This summary, carrying the file of probe rows its reader wrote. */
  SliceSummary withOwnKeys(String file, Fingerprint written) {
    return new SliceSummary(
        fileIndex, rowGroup, window, rowsRead, rejected, read, rejectsPath, file, written);
  }

  /**
   * One line: file index, row group, window, rows read, rows rejected, events read and their digest, own
   * keys' events and their digest, own keys' file name, rejects path (name and path may be empty;
   * the path, last, may hold tabs).
   */
  String toLine() {
    return String.join(
        "\t",
        String.valueOf(fileIndex),
        String.valueOf(rowGroup),
        String.valueOf(window),
        String.valueOf(rowsRead),
        String.valueOf(rejected),
        String.valueOf(read.events()),
        String.valueOf(read.digest()),
        String.valueOf(ownKeys.events()),
        String.valueOf(ownKeys.digest()),
        ownKeysFile == null ? "" : ownKeysFile,
        rejectsPath == null ? "" : rejectsPath);
  }

  static SliceSummary fromLine(String line) {
    String[] fields = line.split("\t", 11);
    if (fields.length != 11) {
      throw new IllegalStateException("not a row group summary: " + line);
    }
    return new SliceSummary(
        Integer.parseInt(fields[0]),
        Integer.parseInt(fields[1]),
        Integer.parseInt(fields[2]),
        Long.parseLong(fields[3]),
        Long.parseLong(fields[4]),
        new Fingerprint(Long.parseLong(fields[5]), Long.parseLong(fields[6])),
        fields[10].isEmpty() ? null : fields[10],
        fields[9].isEmpty() ? null : fields[9],
        new Fingerprint(Long.parseLong(fields[7]), Long.parseLong(fields[8])));
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof SliceSummary)) {
      return false;
    }
    SliceSummary that = (SliceSummary) other;
    return fileIndex == that.fileIndex
        && rowGroup == that.rowGroup
        && window == that.window
        && rowsRead == that.rowsRead
        && rejected == that.rejected
        && read.equals(that.read)
        && Objects.equals(rejectsPath, that.rejectsPath)
        && Objects.equals(ownKeysFile, that.ownKeysFile)
        && ownKeys.equals(that.ownKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        fileIndex, rowGroup, window, rowsRead, rejected, read, rejectsPath, ownKeysFile, ownKeys);
  }

  @Override
  public String toString() {
    return "file "
        + fileIndex
        + " row group "
        + rowGroup
        + (window > 0 ? " key range " + window : "")
        + ": "
        + rowsRead
        + " rows, "
        + rejected
        + " rejected";
  }
}
