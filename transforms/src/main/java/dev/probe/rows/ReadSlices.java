package dev.probe.rows;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import dev.probe.rows.parquet.EventCodec;
import dev.probe.rows.parquet.FileSlice;
import dev.probe.rows.parquet.Fingerprint;
import dev.probe.rows.parquet.KeyRange;
import dev.probe.rows.parquet.KeyWindow;
import dev.probe.rows.parquet.MergedSlices;
import dev.probe.rows.parquet.OwnKeysWriter;
import dev.probe.rows.parquet.ParquetFiles;
import dev.probe.rows.parquet.ProbeRowFile;
import dev.probe.rows.parquet.RejectedRow;
import dev.probe.rows.parquet.SliceReader;
import dev.probe.rows.sort.MergeRuns;
import dev.probe.rows.sort.RunChunk;
import dev.probe.rows.sort.RunSorter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Reads row groups into shuffle elements keyed by shard, and records a {@link SliceSummary} of each
 * row group in the run's staging folder, a file per bundle.
 *
 * <p>Either way the shuffle carries sorted runs of events in chunks of bounded size ({@link
 * RunChunk}), each keyed by its first event key (see {@link EventKeys}, {@link EventCodec}), for
 * {@link MergeRuns} to merge. Unless it assumes order, it buffers and sorts events into runs ({@link
 * RunSorter}), whatever the input order. Assuming order, it trusts no sort but takes the runs the
 * files already hold: maximal stretches of a key's consecutive rows whose times never decrease. On
 * input sorted by (key, time) that skips the sort and a key travels as one or a few chunks. The
 * order is checked row by row: where a key's time goes back, the run ends and {@link
 * ProbeRowsMetrics#ORDER_VIOLATIONS} counts it. There, a row group whose key range is exclusive
 * (see {@link KeyRange}) writes the keys strictly inside it itself ({@link OwnKeysWriter}) and
 * ships only the keys at its ends, which neighbouring row groups may share. Where files each sorted
 * by key overlap one another, it reads a {@link KeyWindow} instead: a range of keys, merged from
 * every file's row groups that overlap it into a file of its own ({@link MergedSlices}), with
 * nothing shipped unless a file turns out to be out of order.
 *
 * <p>Rows whose key or sort value is null cannot be placed in a timeline: they are written to a
 * temporary rejects file per row group, which the commit publishes in the rejects folder.
 */
final class ReadSlices
    extends PTransform<PCollection<KeyWindow>, PCollection<KV<Integer, KV<byte[], byte[]>>>> {
  private static final long serialVersionUID = 1L;

  private final ProbeRowSettings settings;

  private ReadSlices(ProbeRowSettings settings) {
    this.settings = settings;
  }

  /**
   * Sorts up to {@link ProbeRowSettings#sortBufferBytes} of events at a time into runs or, assuming
   * order, ships each key's runs as the files hold them but writes the keys of exclusive ranges
   * itself; rejects go to the output's temporary folder for the run.
   */
  static ReadSlices of(ProbeRowSettings settings) {
    return new ReadSlices(settings);
  }

  @Override
  public PCollection<KV<Integer, KV<byte[], byte[]>>> expand(PCollection<KeyWindow> slices) {
    return slices.apply(ParDo.of(new ReadSliceFn(settings))).setCoder(RunChunk.SHUFFLE_CODER);
  }

  private static final class ReadSliceFn extends DoFn<KeyWindow, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private final ProbeRowSettings settings;
    private final Counter rowsRead = counter(ProbeRowsMetrics.ROWS_READ);
    private final Counter rejectedNullKey = counter(ProbeRowsMetrics.REJECTED_NULL_KEY);
    private final Counter rejectedNullSort = counter(ProbeRowsMetrics.REJECTED_NULL_SORT);
    private final Counter orderViolations = counter(ProbeRowsMetrics.ORDER_VIOLATIONS);
    private final Counter ownKeysWritten = counter(ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN);
    private final Counter ownKeysAbandoned =
        counter(ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_ABANDONED);
    private final Counter keyRangesMerged = counter(ProbeRowsMetrics.KEY_RANGES_MERGED);
    private final Counter keyRangesFallenBack = counter(ProbeRowsMetrics.KEY_RANGES_FALLEN_BACK);
    private transient LiveProgress progress;
    private transient SliceReader reader;
    private transient RunChunk.Builder[] runs;
    private transient RunSorter sorter;
    private transient List<SliceSummary> summaries;

    ReadSliceFn(ProbeRowSettings settings) {
      this.settings = settings;
    }

    private static Counter counter(String name) {
      return Metrics.counter(ProbeRowsMetrics.NAMESPACE, name);
    }

    @Setup
    public void setup() {
      progress = LiveProgress.of(settings.runId());
      reader = new SliceReader(settings.schema());
      if (!settings.assumeOrdered()) {
        sorter = new RunSorter(settings.shards().count(), settings.sortBufferBytes());
      }
    }

    @ProcessElement
    public void process(
        @Element KeyWindow window, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      try {
        if (window.merging()) {
          readMerging(window, shuffle);
        } else {
          read(window.slices().get(0), shuffle);
        }
      } catch (InvalidInputException e) {
        throw settings.dataErrors().raise(e);
      }
    }

    @StartBundle
    public void startBundle() {
      // A failed bundle may have left events and summaries behind in this instance.
      if (sorter != null) {
        sorter.clear();
      }
      summaries = new ArrayList<>();
    }

    /**
     * Ships what the sorter still holds. It fills across the bundle's row groups, not one at a
     * time: many small row groups would otherwise each ship a few events per shard, and the merge
     * would face thousands of tiny runs. The event key carries each event's input position, so
     * which row groups share a buffer changes no order.
     */
    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      if (sorter != null) {
        sorter.flush(
            (shard, firstEventKey, bytes) ->
                context.output(
                    shuffled(shard, firstEventKey, bytes),
                    GlobalWindow.INSTANCE.maxTimestamp(),
                    GlobalWindow.INSTANCE));
      }
      try {
        settings.output().recordSlices(settings.runId(), summaries);
      } catch (IOException e) {
        throw new StorageException(
            "cannot record what " + summaries.size() + " row groups produced", e);
      }
      summaries = new ArrayList<>();
    }

    private void read(FileSlice slice, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      // A failed attempt may have left runs behind in this instance.
      runs = new RunChunk.Builder[settings.shards().count()];
      RejectsFile rejects = new RejectsFile(slice);
      long[] violations = {0};
      ProbeRowFile ownKeys;
      try {
        if (sorter != null) {
          readSorting(slice, shuffle, rejects);
          ownKeys = null;
        } else {
          ownKeys = readAsRead(slice, shuffle, rejects, violations);
        }
      } finally {
        rejects.close();
      }
      summaries.add(summary(slice, KeyWindow.whole(slice), reader, rejects, ownKeys));
      count(slice.rowCount(), reader.nullKeys(), reader.nullSorts(), violations[0]);
    }

    /**
     * Merges the window's rows from its files into one file of probe rows. Where a file turns out
     * not to be in order, its file is discarded and the window's rows are shipped as read instead,
     * from a second reading.
     */
    private void readMerging(
        KeyWindow window, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      Map<FileSlice, RejectsFile> rejects = new HashMap<>();
      Map<FileSlice, SliceSummary> read = new HashMap<>();
      Map<FileSlice, long[]> nulls = new HashMap<>();
      OwnKeysWriter merged = new OwnKeysWriter(() -> windowFile(window));
      try {
        MergedSlices.merge(
            settings.schema(),
            window,
            row -> {
              progress.rowsRead(1);
              merged.write(row);
            },
            slice -> rejects.computeIfAbsent(slice, RejectsFile::new)::add,
            (slice, reader) -> {
              read.put(slice, summary(slice, window, reader, rejects.get(slice), null));
              nulls.put(slice, new long[] {reader.nullKeys(), reader.nullSorts()});
            });
      } catch (ProbeRowFile.OutOfOrder e) {
        merged.discard();
        rejects.values().forEach(RejectsFile::discard);
        keyRangesFallenBack.inc();
        shipWindow(window, shuffle);
        return;
      } finally {
        rejects.values().forEach(RejectsFile::close);
      }
      ProbeRowFile file = merged.finish();
      keyRangesMerged.inc();
      for (FileSlice slice : window.slices()) {
        SliceSummary summary = read.get(slice);
        // The window's file goes with its first row group's summary, as a retry would send it.
        summaries.add(
            file != null && slice.equals(window.slices().get(0))
                ? summary.withOwnKeys(file.path().getFilename(), file.written())
                : summary);
        count(summary.rowsRead(), nulls.get(slice)[0], nulls.get(slice)[1], 0);
      }
    }

    /** Ships a window's rows as its files hold them, each row group's runs as read. */
    private void shipWindow(
        KeyWindow window, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      runs = new RunChunk.Builder[settings.shards().count()];
      for (FileSlice slice : window.slices()) {
        RejectsFile rejects = new RejectsFile(slice);
        long[] violations = {0};
        try {
          reader.read(
              slice,
              window,
              row -> {
                progress.rowsRead(1);
                violations[0] += addToRun(row, shuffle);
              },
              rejects::add);
        } finally {
          rejects.close();
        }
        SliceSummary summary = summary(slice, window, reader, rejects, null);
        summaries.add(summary);
        count(summary.rowsRead(), reader.nullKeys(), reader.nullSorts(), violations[0]);
      }
      emitRuns(shuffle);
    }

    /** What reading the slice's rows in the window produced. */
    private static SliceSummary summary(
        FileSlice slice,
        KeyWindow window,
        SliceReader reader,
        RejectsFile rejects,
        ProbeRowFile ownKeys) {
      long rejected = reader.nullKeys() + reader.nullSorts();
      return new SliceSummary(
          slice.fileIndex(),
          slice.rowGroup(),
          window.index(),
          window.merging() ? reader.events() + rejected : slice.rowCount(),
          rejected,
          new Fingerprint(reader.events(), reader.digest()),
          rejects == null ? null : rejects.path(),
          ownKeys == null ? null : ownKeys.path().getFilename(),
          ownKeys == null ? Fingerprint.NONE : ownKeys.written());
    }

    /** Counts a summary recorded, once its reading stands. */
    private void count(long rows, long nullKeys, long nullSorts, long violations) {
      rowsRead.inc(rows);
      rejectedNullKey.inc(nullKeys);
      rejectedNullSort.inc(nullSorts);
      orderViolations.inc(violations);
    }

    private void readSorting(
        FileSlice slice,
        OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle,
        RejectsFile rejects) {
      RunSorter.ChunkReceiver chunks =
          (shard, firstEventKey, bytes) -> shuffle.output(shuffled(shard, firstEventKey, bytes));
      reader.read(
          slice,
          row -> {
            progress.rowsRead(1);
            if (sorter.add(row.eventKey(), row.keyEnd(), row.event())) {
              sorter.flush(chunks);
            }
          },
          rejects::add);
    }

    /**
     * Ships the row group's runs as read, except the keys it alone holds, which it writes itself
     * while its rows stay in event key order. Returns the file of those keys, or null.
     */
    private ProbeRowFile readAsRead(
        FileSlice slice,
        OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle,
        RejectsFile rejects,
        long[] violations) {
      KeyRange range = slice.keyRange();
      OwnKeysWriter ownKeys =
          range != null && range.exclusive()
              ? new OwnKeysWriter(() -> ownKeysFile(slice))
              : null;
      BitSet shipped = new BitSet();
      // Rows up to the one found out of order (always a placeable row) have been seen.
      int[] seen = {0};
      try {
        reader.read(
            slice,
            row -> {
              progress.rowsRead(1);
              int at = row.rowInSlice();
              seen[0] = at + 1;
              KeyRange.Place place = KeyRange.placeOf(slice, row);
              if (ownKeys != null) {
                if (place == KeyRange.Place.INSIDE) {
                  ownKeys.write(row);
                  return;
                }
                // Only a row group writing its own keys can fall back and need to know.
                shipped.set(at);
              }
              violations[0] += addToRun(row, shuffle);
            },
            rejects::add);
      } catch (ProbeRowFile.OutOfOrder e) {
        ownKeys.discard();
        ownKeysAbandoned.inc();
        shipUnshipped(slice, shuffle, rejects, shipped, seen[0], violations);
        emitRuns(shuffle);
        return null;
      }
      emitRuns(shuffle);
      if (ownKeys == null) {
        return null;
      }
      ownKeysWritten.inc();
      return ownKeys.finish();
    }

    private ProbeRowFile ownKeysFile(FileSlice slice) {
      return readersFile(
          String.format(
              "own-keys-%05d-%05d.%s.parquet",
              slice.fileIndex(), slice.rowGroup(), UUID.randomUUID()));
    }

    private ProbeRowFile windowFile(KeyWindow window) {
      return readersFile(
          String.format("key-range-%05d.%s.parquet", window.index(), UUID.randomUUID()));
    }

    /** A file of probe rows a reader writes itself, in the run's temporary folder. */
    private ProbeRowFile readersFile(String name) {
      ProbeRowFile file =
          new ProbeRowFile(
              settings.output().temporaryFile(settings.runId(), name),
              settings.schema(),
              settings.maxEventsPerRow(),
              progress);
      return settings.swappingOwnKeysPayloads() ? file.swapFirstTwoPayloads() : file;
    }

    /**
     * Reads the row group again and ships every event not shipped yet; rows from {@code
     * firstUnseen} on were not seen before, so their rejects are written now.
     */
    private void shipUnshipped(
        FileSlice slice,
        OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle,
        RejectsFile rejects,
        BitSet shipped,
        int firstUnseen,
        long[] violations) {
      reader.read(
          slice,
          row -> {
            if (row.rowInSlice() >= firstUnseen) {
              progress.rowsRead(1);
              KeyRange.placeOf(slice, row);
            }
            if (!shipped.get(row.rowInSlice())) {
              violations[0] += addToRun(row, shuffle);
            }
          },
          (columns, rowInFile, reason) -> {
            if (rowInFile - slice.firstRow() >= firstUnseen) {
              rejects.add(columns, rowInFile, reason);
            }
          });
    }

    private void emitRuns(OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      for (int shard = 0; shard < runs.length; shard++) {
        emitRun(shard, shuffle);
      }
    }

    /**
     * Adds the row's event to its shard's open run, first shipping the run if the event cannot
     * extend it; returns 1 if the event goes back in time within its key, else 0.
     */
    private int addToRun(SliceReader row, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      byte[] eventKey = row.eventKey().array();
      int eventKeyLength = row.eventKey().size();
      int keyEnd = row.keyEnd();
      ByteSink event = row.event();
      int shard = EventKeys.shard(EventKeys.hash(eventKey, 0, keyEnd), settings.shards().count());
      if (runs[shard] == null) {
        runs[shard] = new RunChunk.Builder();
      }
      RunChunk.Continuation continuation =
          runs[shard].continuation(eventKey, eventKeyLength, keyEnd);
      if (continuation != RunChunk.Continuation.SAME_RUN) {
        emitRun(shard, shuffle);
      }
      runs[shard].append(eventKey, 0, eventKeyLength, event.array(), 0, event.size());
      return continuation == RunChunk.Continuation.GOES_BACK ? 1 : 0;
    }

    private void emitRun(int shard, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      RunChunk.Builder run = runs[shard];
      if (run != null && !run.isEmpty()) {
        byte[] first = run.firstEventKey();
        shuffle.output(shuffled(shard, first, run.build()));
      }
    }

    /** A chunk of a sorted run as the shuffle carries it, keyed for its shard. */
    private KV<Integer, KV<byte[], byte[]>> shuffled(
        int shard, byte[] firstEventKey, byte[] chunk) {
      return KV.of(settings.shards().key(shard), KV.of(firstEventKey, chunk));
    }

    /** This row group's rejected rows, in a temporary file opened at the first one. */
    private final class RejectsFile {
      private final FileSlice slice;
      private ResourceId file;
      private ParquetWriter<RejectedRow> writer;

      RejectsFile(FileSlice slice) {
        this.slice = slice;
      }

      /** Keeps a rejected row, which counts as read. */
      void add(byte[] columns, long rowInFile, String reason) {
        progress.rowsRead(1);
        try {
          if (writer == null) {
            // A unique name per attempt: a retried row group never collides with a half-written
            // one.
            file =
                settings.output().temporaryFile(
                    settings.runId(),
                    String.format(
                        "rejects-%05d-%05d.%s.parquet",
                        slice.fileIndex(), slice.rowGroup(), UUID.randomUUID()));
            writer =
                ParquetFiles.writer(
                    ParquetFiles.outputFile(file), new RejectedRow.Support(settings.schema()));
          }
          writer.write(new RejectedRow(columns, reason, slice.path(), rowInFile));
        } catch (IOException e) {
          throw new StorageException("cannot write the rejected rows of " + slice, e);
        }
      }

      String path() {
        return file == null ? null : file.toString();
      }

      /** Closes and deletes what was written: the rows are read again. */
      void discard() {
        close();
        if (file != null) {
          try {
            FileSystems.delete(List.of(file), StandardMoveOptions.IGNORE_MISSING_FILES);
          } catch (IOException e) {
            throw new StorageException("cannot delete " + file, e);
          }
          file = null;
        }
      }

      void close() {
        if (writer != null) {
          try {
            writer.close();
          } catch (IOException e) {
            throw new StorageException("cannot write " + file, e);
          } finally {
            writer = null;
          }
        }
      }
    }
  }
}
