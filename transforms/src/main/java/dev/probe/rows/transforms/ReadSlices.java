package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.UUID;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Reads row groups into shuffle elements keyed by shard, and records one {@link SliceSummary} per
 * row group in the run's staging folder.
 *
 * <p>Either way the shuffle carries sorted runs of events in chunks of bounded size ({@link
 * RunChunk}), each keyed by its first event key (see {@link EventKeys}, {@link EventCodec}), for
 * {@link MergeRuns} to merge. {@link #sortingRuns} buffers and sorts events into runs ({@link
 * RunSorter}), whatever the input order. {@link #runsAsRead} trusts no sort but takes the runs the
 * files already hold: maximal stretches of a key's consecutive rows whose times never decrease. On
 * input sorted by (key, time) that skips the sort and a key travels as one or a few chunks. The
 * order is checked row by row: where a key's time goes back, the run ends and {@link
 * ProbeRowsMetrics#ORDER_VIOLATIONS} counts it.
 *
 * <p>Rows whose key or sort value is null cannot be placed in a timeline: they are written to a
 * temporary rejects file per row group, which the commit publishes under {@code _rejects/}.
 */
public final class ReadSlices
    extends PTransform<PCollection<FileSlice>, PCollection<KV<Integer, KV<byte[], byte[]>>>> {
  private static final long serialVersionUID = 1L;

  /** The coder of {@code KV<shard, KV<eventKey, payload>>}; byte arrays shuffle cheaply. */
  public static final Coder<KV<Integer, KV<byte[], byte[]>>> SHUFFLE_CODER =
      KvCoder.of(VarIntCoder.of(), KvCoder.of(ByteArrayCoder.of(), ByteArrayCoder.of()));

  private final ProbeRowSchema schema;
  private final int numShards;

  /** Memory of each reader's {@link RunSorter}; 0 to ship the runs as read. */
  private final long sortBufferBytes;

  private final OutputDirectory output;
  private final String runId;

  private ReadSlices(
      ProbeRowSchema schema,
      int numShards,
      long sortBufferBytes,
      OutputDirectory output,
      String runId) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    this.schema = schema;
    this.numShards = numShards;
    this.sortBufferBytes = sortBufferBytes;
    this.output = output;
    this.runId = runId;
  }

  /**
   * Sorts up to {@code sortBufferBytes} of events at a time into runs; rejects go to {@code
   * output}'s temporary folder for runId.
   */
  public static ReadSlices sortingRuns(
      ProbeRowSchema schema,
      int numShards,
      long sortBufferBytes,
      OutputDirectory output,
      String runId) {
    if (sortBufferBytes < 1) {
      throw new IllegalArgumentException("sortBufferBytes must be positive: " + sortBufferBytes);
    }
    return new ReadSlices(schema, numShards, sortBufferBytes, output, runId);
  }

  /** Ships each key's runs as the files hold them. */
  public static ReadSlices runsAsRead(
      ProbeRowSchema schema, int numShards, OutputDirectory output, String runId) {
    return new ReadSlices(schema, numShards, 0, output, runId);
  }

  @Override
  public PCollection<KV<Integer, KV<byte[], byte[]>>> expand(PCollection<FileSlice> slices) {
    return slices.apply(ParDo.of(new ReadSliceFn(this))).setCoder(SHUFFLE_CODER);
  }

  private static final class ReadSliceFn extends DoFn<FileSlice, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private final ReadSlices spec;
    private final Counter rowsRead = counter(ProbeRowsMetrics.ROWS_READ);
    private final Counter rejectedNullKey = counter(ProbeRowsMetrics.REJECTED_NULL_KEY);
    private final Counter rejectedNullSort = counter(ProbeRowsMetrics.REJECTED_NULL_SORT);
    private final Counter orderViolations = counter(ProbeRowsMetrics.ORDER_VIOLATIONS);
    private transient SliceReader reader;
    private transient RunChunk.Builder[] runs;
    private transient RunSorter sorter;

    ReadSliceFn(ReadSlices spec) {
      this.spec = spec;
    }

    private static Counter counter(String name) {
      return Metrics.counter(ProbeRowsMetrics.NAMESPACE, name);
    }

    @Setup
    public void setup() {
      reader = new SliceReader(spec.schema);
      if (spec.sortBufferBytes > 0) {
        sorter = new RunSorter(spec.numShards, spec.sortBufferBytes);
      }
    }

    @ProcessElement
    public void process(
        @Element FileSlice slice, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      RunSorter.ChunkReceiver chunks =
          (shard, firstEventKey, bytes) ->
              shuffle.output(KV.of(shard, KV.of(firstEventKey, bytes)));
      // A failed attempt may have left events behind in this instance.
      runs = new RunChunk.Builder[spec.numShards];
      if (sorter != null) {
        sorter.clear();
      }
      RejectsFile rejects = new RejectsFile(slice);
      long[] violations = {0};
      try {
        reader.read(
            slice,
            new SliceReader.Visitor() {
              @Override
              public void event(SliceReader row) {
                LiveProgress.rowsRead(1);
                if (sorter == null) {
                  violations[0] += addToRun(row, shuffle);
                } else if (sorter.add(row.eventKey(), row.keyEnd(), row.event())) {
                  sorter.flush(chunks);
                }
              }

              @Override
              public void rejected(byte[] columns, long rowInFile, String reason) {
                LiveProgress.rowsRead(1);
                rejects.add(columns, rowInFile, reason);
              }
            });
        if (sorter == null) {
          for (int shard = 0; shard < runs.length; shard++) {
            emitRun(shard, shuffle);
          }
        } else {
          sorter.flush(chunks);
        }
      } finally {
        rejects.close();
      }
      rowsRead.inc(slice.rowCount());
      rejectedNullKey.inc(reader.nullKeys());
      rejectedNullSort.inc(reader.nullSorts());
      orderViolations.inc(violations[0]);
      SliceSummary summary =
          new SliceSummary(
              slice.fileIndex(),
              slice.rowGroup(),
              slice.rowCount(),
              reader.nullKeys() + reader.nullSorts(),
              rejects.path());
      try {
        spec.output.recordSlice(spec.runId, summary);
      } catch (IOException e) {
        throw new StorageException("cannot record what " + slice + " produced", e);
      }
    }

    /** Adds the row to its shard's open run, first shipping the run if the row cannot extend it. */
    private int addToRun(SliceReader row, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      int shard =
          EventKeys.shard(EventKeys.hash(row.eventKey().array(), 0, row.keyEnd()), spec.numShards);
      if (runs[shard] == null) {
        runs[shard] = new RunChunk.Builder();
      }
      RunChunk.Continuation continuation = runs[shard].continuation(row.eventKey(), row.keyEnd());
      if (continuation != RunChunk.Continuation.SAME_RUN) {
        emitRun(shard, shuffle);
      }
      runs[shard].append(row.eventKey(), row.event());
      return continuation == RunChunk.Continuation.GOES_BACK ? 1 : 0;
    }

    private void emitRun(int shard, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> shuffle) {
      RunChunk.Builder run = runs[shard];
      if (run != null && !run.isEmpty()) {
        byte[] first = run.firstEventKey();
        shuffle.output(KV.of(shard, KV.of(first, run.build())));
      }
    }

    /** This row group's rejected rows, in a temporary file opened at the first one. */
    private final class RejectsFile {
      private final FileSlice slice;
      private ResourceId file;
      private ParquetWriter<RejectedRow> writer;

      RejectsFile(FileSlice slice) {
        this.slice = slice;
      }

      void add(byte[] columns, long rowInFile, String reason) {
        try {
          if (writer == null) {
            // A unique name per attempt: a retried row group never collides with a half-written
            // one.
            file =
                spec.output.temporaryFile(
                    spec.runId,
                    String.format(
                        "rejects-%05d-%05d.%s.parquet",
                        slice.fileIndex(), slice.rowGroup(), UUID.randomUUID()));
            writer =
                ParquetFiles.writer(
                    ParquetFiles.outputFile(file), new RejectedRow.Support(spec.schema));
          }
          writer.write(new RejectedRow(columns, reason, slice.path(), rowInFile));
        } catch (IOException e) {
          throw new StorageException("cannot write the rejected rows of " + slice, e);
        }
      }

      String path() {
        return file == null ? null : file.toString();
      }

      void close() {
        if (writer != null) {
          try {
            writer.close();
          } catch (IOException e) {
            throw new StorageException("cannot write " + file, e);
          }
        }
      }
    }
  }
}
