package dev.probe.rows.schema;

import dev.probe.rows.events.EventKeys;
import dev.probe.rows.sort.MergeRuns;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * A shard's events, in event key order as {@link MergeRuns} streams them, to probe rows of {@link
 * RowEvents#probeRowSchema}: one per key, or one per {@code maxEventsPerRow} consecutive events of
 * a key ({@code chunk} 0, 1, …). Each probe row holds its events in memory until it is output.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class AssembleProbeRows
    extends PTransform<PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  private final RowEvents events;
  private final long maxEventsPerRow;

  private AssembleProbeRows(RowEvents events, long maxEventsPerRow) {
    this.events = events;
    this.maxEventsPerRow = maxEventsPerRow;
  }

  /** @param maxEventsPerRow the most events in one probe row; 0: no limit */
  public static AssembleProbeRows of(RowEvents events, long maxEventsPerRow) {
    if (maxEventsPerRow < 0) {
      throw new IllegalArgumentException(
          "the most events per row cannot be negative: " + maxEventsPerRow);
    }
    return new AssembleProbeRows(events, maxEventsPerRow);
  }

  @Override
  public PCollection<Row> expand(PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>> shards) {
    return shards
        .apply(ParDo.of(new AssembleFn(events, maxEventsPerRow)))
        .setRowSchema(events.probeRowSchema());
  }

  private static final class AssembleFn
      extends DoFn<KV<Integer, Iterable<KV<byte[], byte[]>>>, Row> {
    private static final long serialVersionUID = 1L;

    private final RowEvents events;
    private final long maxEventsPerRow;

    AssembleFn(RowEvents events, long maxEventsPerRow) {
      this.events = events;
      this.maxEventsPerRow = maxEventsPerRow;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<byte[], byte[]>>> shard, OutputReceiver<Row> out) {
      byte[] keyOf = null;
      int keyEnd = 0;
      int chunk = 0;
      List<Row> row = new ArrayList<>();
      for (KV<byte[], byte[]> event : shard.getValue()) {
        byte[] eventKey = event.getKey();
        if (keyOf == null || !EventKeys.sameKey(keyOf, keyEnd, eventKey)) {
          if (keyOf != null) {
            out.output(events.probeRow(events.key(keyOf), chunk, row));
          }
          keyOf = eventKey;
          keyEnd = EventKeys.keyEnd(eventKey);
          chunk = 0;
          row = new ArrayList<>();
        } else if (row.size() == maxEventsPerRow) {
          out.output(events.probeRow(events.key(keyOf), chunk++, row));
          row = new ArrayList<>();
        }
        row.add(events.event(eventKey, keyEnd));
      }
      if (keyOf != null) {
        out.output(events.probeRow(events.key(keyOf), chunk, row));
      }
    }
  }
}
