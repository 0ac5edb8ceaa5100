package dev.probe.rows.schema;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import dev.probe.rows.sort.MergeRuns;
import dev.probe.rows.sort.RunChunk;
import dev.probe.rows.sort.RunSorter;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Rows to sorted runs of events, keyed by shard, as {@code ReadSlices} ships those of Parquet
 * files: each bundle's events are either sorted a buffer at a time ({@link #sorting}, {@link
 * RunSorter}) or cut into the runs they already form in the order they arrive ({@link
 * #asArriving}). {@link MergeRuns} turns a shard's runs into one stream in event key order either
 * way. Runs end with their bundle.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class RunsOfRows
    extends PTransform<PCollection<Row>, PCollection<KV<Integer, KV<byte[], byte[]>>>> {
  private static final long serialVersionUID = 1L;

  private final RowEvents events;
  private final int numShards;
  /** The sort buffer of each instance; 0 ships runs as they arrive. */
  private final long bufferBytes;

  private RunsOfRows(RowEvents events, int numShards, long bufferBytes) {
    this.events = events;
    this.numShards = numShards;
    this.bufferBytes = bufferBytes;
  }

  /** Sorts each bundle's events, {@code bufferBytes} at a time, into runs. */
  public static RunsOfRows sorting(RowEvents events, int numShards, long bufferBytes) {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("a sort buffer needs at least a byte: " + bufferBytes);
    }
    return new RunsOfRows(events, numShards, bufferBytes);
  }

  /**
   * Ships each bundle's events unsorted: a shard's run lasts while its events arrive in event key
   * order, which costs nothing on rows that arrive sorted and one run per event on rows in no order.
   */
  public static RunsOfRows asArriving(RowEvents events, int numShards) {
    return new RunsOfRows(events, numShards, 0);
  }

  @Override
  public PCollection<KV<Integer, KV<byte[], byte[]>>> expand(PCollection<Row> rows) {
    DoFn<Row, KV<Integer, KV<byte[], byte[]>>> fn =
        bufferBytes > 0
            ? new SortingFn(events, numShards, bufferBytes)
            : new AsArrivingFn(events, numShards);
    return rows.apply(ParDo.of(fn)).setCoder(RunChunk.SHUFFLE_CODER);
  }

  /** Outputs shard {@code shard}'s chunk in the global window, the only one rows may be in. */
  private static void output(
      DoFn<Row, KV<Integer, KV<byte[], byte[]>>>.FinishBundleContext context,
      int shard,
      byte[] firstEventKey,
      byte[] chunk) {
    context.output(
        KV.of(shard, KV.of(firstEventKey, chunk)),
        GlobalWindow.INSTANCE.maxTimestamp(),
        GlobalWindow.INSTANCE);
  }

  private static final class SortingFn extends DoFn<Row, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private final RowEvents events;
    private final int numShards;
    private final long bufferBytes;
    private transient RunSorter sorter;
    private transient ByteSink eventKey;
    private transient ByteSink noEvent;

    SortingFn(RowEvents events, int numShards, long bufferBytes) {
      this.events = events;
      this.numShards = numShards;
      this.bufferBytes = bufferBytes;
    }

    @Setup
    public void setup() {
      sorter = new RunSorter(numShards, bufferBytes);
      eventKey = new ByteSink(256);
      // The event travels inside its event key, where it breaks ties.
      noEvent = new ByteSink(0);
    }

    @StartBundle
    public void startBundle() {
      sorter.clear();
    }

    @ProcessElement
    public void process(
        @Element Row row, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      int keyEnd = events.encode(row, eventKey);
      if (sorter.add(eventKey, keyEnd, noEvent)) {
        sorter.flush((shard, first, chunk) -> out.output(KV.of(shard, KV.of(first, chunk))));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      sorter.flush((shard, first, chunk) -> output(context, shard, first, chunk));
    }
  }

  private static final class AsArrivingFn extends DoFn<Row, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private static final byte[] NO_EVENT = new byte[0];

    private final RowEvents events;
    private final int numShards;
    private transient RunChunk.Builder[] runs;
    private transient ByteSink eventKey;

    AsArrivingFn(RowEvents events, int numShards) {
      this.events = events;
      this.numShards = numShards;
    }

    @Setup
    public void setup() {
      eventKey = new ByteSink(256);
    }

    @StartBundle
    public void startBundle() {
      runs = new RunChunk.Builder[numShards];
    }

    @ProcessElement
    public void process(
        @Element Row row, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      int keyEnd = events.encode(row, eventKey);
      int shard = EventKeys.shard(EventKeys.hash(eventKey.array(), 0, keyEnd), numShards);
      if (runs[shard] == null) {
        runs[shard] = new RunChunk.Builder();
      }
      RunChunk.Builder run = runs[shard];
      if (run.continuation(eventKey.array(), eventKey.size(), keyEnd)
          != RunChunk.Continuation.SAME_RUN) {
        if (!run.isEmpty()) {
          byte[] first = run.firstEventKey();
          out.output(KV.of(shard, KV.of(first, run.build())));
        }
      }
      run.append(eventKey.array(), 0, eventKey.size(), NO_EVENT, 0, 0);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (int shard = 0; shard < numShards; shard++) {
        RunChunk.Builder run = runs[shard];
        if (run != null && !run.isEmpty()) {
          byte[] first = run.firstEventKey();
          output(context, shard, first, run.build());
        }
      }
    }
  }
}
