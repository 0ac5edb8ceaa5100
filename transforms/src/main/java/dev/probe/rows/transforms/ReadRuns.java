package dev.probe.rows.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads row groups into sorted runs: maximal stretches of rows with the same key whose sort values
 * never decrease, cut into chunks of bounded size. Each chunk is one shuffle element {@code
 * KV<shard, KV<first event key, chunk>>} (see {@link RunChunk}).
 *
 * <p>On input sorted by (key, time) a key's events travel as one or a few elements instead of one
 * each. The claim is checked row by row, never trusted: where a key's time goes back, the run ends
 * and a new one starts ({@link #ORDER_VIOLATIONS} counts these), and {@link MergeRuns} restores
 * the order.
 */
public final class ReadRuns
    extends PTransform<PCollection<FileSlice>, PCollection<KV<Integer, KV<byte[], byte[]>>>> {
  private static final long serialVersionUID = 1L;

  public static final String ORDER_VIOLATIONS = "orderViolations";

  private final ProbeRowSchema schema;
  private final int numShards;

  private ReadRuns(ProbeRowSchema schema, int numShards) {
    this.schema = schema;
    this.numShards = numShards;
  }

  public static ReadRuns of(ProbeRowSchema schema, int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new ReadRuns(schema, numShards);
  }

  @Override
  public PCollection<KV<Integer, KV<byte[], byte[]>>> expand(PCollection<FileSlice> slices) {
    return slices.apply(ParDo.of(new ReadRunsFn(schema, numShards))).setCoder(ReadEvents.CODER);
  }

  private static final class ReadRunsFn extends DoFn<FileSlice, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private final ProbeRowSchema schema;
    private final int numShards;
    private final Counter rowsRead = Metrics.counter(ReadEvents.METRICS_NAMESPACE, ReadEvents.ROWS_READ);
    private final Counter rejectedNullKey =
        Metrics.counter(ReadEvents.METRICS_NAMESPACE, ReadEvents.REJECTED_NULL_KEY);
    private final Counter rejectedNullSort =
        Metrics.counter(ReadEvents.METRICS_NAMESPACE, ReadEvents.REJECTED_NULL_SORT);
    private final Counter orderViolations =
        Metrics.counter(ReadEvents.METRICS_NAMESPACE, ORDER_VIOLATIONS);
    private transient SliceReader reader;
    private transient RunChunk.Builder chunk;

    ReadRunsFn(ProbeRowSchema schema, int numShards) {
      this.schema = schema;
      this.numShards = numShards;
    }

    @Setup
    public void setup() {
      reader = new SliceReader(schema);
      chunk = new RunChunk.Builder();
    }

    @ProcessElement
    public void process(
        @Element FileSlice slice, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      long[] violations = {0};
      reader.read(
          slice,
          row -> {
            switch (chunk.continuation(row.eventKey(), row.keyEnd())) {
              case GOES_BACK:
                violations[0]++;
                emit(out);
                break;
              case NEW_RUN:
              case FULL:
                emit(out);
                break;
              default:
                break;
            }
            chunk.append(row.eventKey(), row.event());
          });
      emit(out);
      rowsRead.inc(slice.rowCount());
      rejectedNullKey.inc(reader.nullKeys());
      rejectedNullSort.inc(reader.nullSorts());
      orderViolations.inc(violations[0]);
    }

    private void emit(OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      if (chunk.isEmpty()) {
        return;
      }
      byte[] first = chunk.firstEventKey();
      out.output(KV.of(EventKeys.shardOf(first, numShards), KV.of(first, chunk.build())));
    }
  }
}
