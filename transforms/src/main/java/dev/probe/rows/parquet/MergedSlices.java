package dev.probe.rows.parquet;

import dev.probe.rows.ProbeRowSchema;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Reads a merging {@link KeyWindow}: each file's row groups in turn, one reader per file, the files
 * merged into one stream in event key order. Only one row group per file is open at a time.
 *
 * <p>The merge trusts each file to be sorted by event key and does not check it: a receiver that
 * needs the order checks it, as {@link ProbeRowFile} does. A file out of order then yields a
 * stream out of order, since the merge hands out each file's rows in the file's own order.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class MergedSlices {
  /** The receiver of a slice's rejected rows. */
  public interface RejectsOf {
    SliceReader.Rejects of(FileSlice slice);
  }

  /** Receives each slice once read to its end, with its counts and fingerprint in the reader. */
  public interface SliceRead {
    void read(FileSlice slice, SliceReader reader);
  }

  private MergedSlices() {}

  /** Reads every row of {@code window}, events in event key order to {@code events}. */
  public static void merge(
      ProbeRowSchema schema,
      KeyWindow window,
      SliceReader.Events events,
      RejectsOf rejects,
      SliceRead sliceRead) {
    PriorityQueue<FileCursor> cursors =
        new PriorityQueue<>(
            (a, b) ->
                Arrays.compareUnsigned(
                    a.reader.eventKey().array(),
                    0,
                    a.reader.eventKey().size(),
                    b.reader.eventKey().array(),
                    0,
                    b.reader.eventKey().size()));
    List<List<FileSlice>> files = window.byFile();
    FileCursor[] all = new FileCursor[files.size()];
    try {
      for (int i = 0; i < all.length; i++) {
        all[i] = new FileCursor(schema, window, files.get(i).iterator(), rejects, sliceRead);
        if (all[i].advance()) {
          cursors.add(all[i]);
        }
      }
      while (!cursors.isEmpty()) {
        FileCursor next = cursors.poll();
        try {
          events.event(next.reader);
        } catch (RuntimeException e) {
          // The receiver decodes values too, straight from the column readers.
          throw ParquetFiles.readFailure(next.reader.slice().toString(), e);
        }
        if (next.advance()) {
          cursors.add(next);
        }
      }
    } finally {
      for (FileCursor cursor : all) {
        if (cursor != null) {
          cursor.reader.close();
        }
      }
    }
  }

  /** One file's row groups of the window, read one after another. */
  private static final class FileCursor {
    private final SliceReader reader;
    private final KeyWindow window;
    private final Iterator<FileSlice> slices;
    private final RejectsOf rejects;
    private final SliceRead sliceRead;
    private boolean open;

    FileCursor(
        ProbeRowSchema schema,
        KeyWindow window,
        Iterator<FileSlice> slices,
        RejectsOf rejects,
        SliceRead sliceRead) {
      this.reader = new SliceReader(schema);
      this.window = window;
      this.slices = slices;
      this.rejects = rejects;
      this.sliceRead = sliceRead;
    }

    /** Moves to the file's next event in the window; false when the file has no more. */
    boolean advance() {
      while (true) {
        if (open) {
          if (reader.next()) {
            return true;
          }
          reader.close();
          open = false;
          sliceRead.read(reader.slice(), reader);
        }
        if (!slices.hasNext()) {
          return false;
        }
        FileSlice slice = slices.next();
        reader.open(slice, window, rejects.of(slice));
        open = true;
      }
    }
  }
}
