package dev.probe.rows.transforms;

import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads row groups into events keyed by shard, each a {@code KV<eventKey, event>} in shuffle form
 * (see {@link EventKeys} and {@link EventCodec}). Rows whose key or sort value is null cannot be
 * placed in a timeline: they are counted ({@link #REJECTED_NULL_KEY}, {@link #REJECTED_NULL_SORT})
 * and left out.
 */
public final class ReadEvents
    extends PTransform<PCollection<FileSlice>, PCollection<KV<Integer, KV<byte[], byte[]>>>> {
  private static final long serialVersionUID = 1L;

  public static final String METRICS_NAMESPACE = "probe-rows";
  public static final String ROWS_READ = "rowsRead";
  public static final String REJECTED_NULL_KEY = "rejectedNullKey";
  public static final String REJECTED_NULL_SORT = "rejectedNullSort";

  /** The coder of {@code KV<shard, KV<eventKey, event>>}; byte arrays shuffle cheaply. */
  public static final Coder<KV<Integer, KV<byte[], byte[]>>> CODER =
      KvCoder.of(VarIntCoder.of(), KvCoder.of(ByteArrayCoder.of(), ByteArrayCoder.of()));

  private final ProbeRowSchema schema;
  private final int numShards;

  private ReadEvents(ProbeRowSchema schema, int numShards) {
    this.schema = schema;
    this.numShards = numShards;
  }

  public static ReadEvents of(ProbeRowSchema schema, int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new ReadEvents(schema, numShards);
  }

  @Override
  public PCollection<KV<Integer, KV<byte[], byte[]>>> expand(PCollection<FileSlice> slices) {
    return slices.apply(ParDo.of(new ReadSliceFn(schema, numShards))).setCoder(CODER);
  }

  private static final class ReadSliceFn extends DoFn<FileSlice, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private final ProbeRowSchema schema;
    private final int numShards;
    private final Counter rowsRead = Metrics.counter(METRICS_NAMESPACE, ROWS_READ);
    private final Counter rejectedNullKey = Metrics.counter(METRICS_NAMESPACE, REJECTED_NULL_KEY);
    private final Counter rejectedNullSort = Metrics.counter(METRICS_NAMESPACE, REJECTED_NULL_SORT);
    private transient SliceReader reader;

    ReadSliceFn(ProbeRowSchema schema, int numShards) {
      this.schema = schema;
      this.numShards = numShards;
    }

    @Setup
    public void setup() {
      reader = new SliceReader(schema);
    }

    @ProcessElement
    public void process(
        @Element FileSlice slice, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      reader.read(
          slice,
          row -> {
            byte[] key = row.eventKey().toByteArray();
            out.output(
                KV.of(EventKeys.shardOf(key, numShards), KV.of(key, row.event().toByteArray())));
          });
      rowsRead.inc(slice.rowCount());
      rejectedNullKey.inc(reader.nullKeys());
      rejectedNullSort.inc(reader.nullSorts());
    }
  }
}
