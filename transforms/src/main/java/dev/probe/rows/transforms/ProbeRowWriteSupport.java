package dev.probe.rows.transforms;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes {@link ProbeRow}s through Parquet's record API. Events go straight from the sorted stream
 * into the column writers; {@code event_count} is written after the list, once it is known.
 */
final class ProbeRowWriteSupport extends WriteSupport<ProbeRow> {
  private final ProbeRowSchema schema;
  private RecordConsumer consumer;

  ProbeRowWriteSupport(ProbeRowSchema schema) {
    this.schema = schema;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(
        schema.outputSchema(),
        Map.of(
            "probe-rows.key", schema.keyColumn(),
            "probe-rows.sort", schema.sortColumn()));
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(ProbeRow row) {
    consumer.startMessage();
    schema.writeKeyField(consumer, EventKeys.key(row.eventKey));
    consumer.startField(ProbeRowSchema.CHUNK, 1);
    consumer.addInteger(row.chunk);
    consumer.endField(ProbeRowSchema.CHUNK, 1);

    long count = 0;
    consumer.startField(ProbeRowSchema.EVENTS, 3);
    consumer.startGroup();
    consumer.startField("list", 0);
    while (row.events.hasNext()) {
      consumer.startGroup();
      consumer.startField("element", 0);
      schema.writeEventElement(consumer, row.events.next());
      consumer.endField("element", 0);
      consumer.endGroup();
      count++;
    }
    consumer.endField("list", 0);
    consumer.endGroup();
    consumer.endField(ProbeRowSchema.EVENTS, 3);

    consumer.startField(ProbeRowSchema.EVENT_COUNT, 2);
    consumer.addLong(count);
    consumer.endField(ProbeRowSchema.EVENT_COUNT, 2);
    consumer.endMessage();
  }
}
