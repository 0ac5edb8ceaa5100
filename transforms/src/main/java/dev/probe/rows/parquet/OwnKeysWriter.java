package dev.probe.rows.parquet;

import java.util.function.Supplier;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Writes the probe rows of the keys a reader alone holds (those strictly inside its row group's
 * exclusive {@link KeyRange}, or a {@link KeyWindow}'s merged from several files) to a file of its
 * own, as the rows stream by, so that on input sorted by key most events skip the shuffle and the
 * merge. The file is opened at the first such row.
 *
 * <p>This is only right if the rows come in event key order, which the file checks row by row: the
 * first row out of order throws {@link ProbeRowFile.OutOfOrder}, and the reader {@link #discard}s
 * the file and ships the events instead.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class OwnKeysWriter {
  private final Supplier<ProbeRowFile> newFile;
  private ProbeRowFile file;

  public OwnKeysWriter(Supplier<ProbeRowFile> newFile) {
    this.newFile = newFile;
  }

  /**
   * Writes the reader's current row, whose key is the reader's alone.
   *
   * @throws ProbeRowFile.OutOfOrder if it does not come after the previous one in event key order
   */
  public void write(SliceReader row) {
    if (file == null) {
      file = newFile.get();
    }
    file.write(row);
  }

  /** Completes the file; null if no row was written. */
  public ProbeRowFile finish() {
    if (file != null) {
      file.finish();
    }
    return file;
  }

  /** Deletes what was written: the row group's events are to be shipped instead. */
  public void discard() {
    if (file != null) {
      file.discard();
      file = null;
    }
  }
}
