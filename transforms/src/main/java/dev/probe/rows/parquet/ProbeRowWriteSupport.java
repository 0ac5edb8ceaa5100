package dev.probe.rows.parquet;

import dev.probe.rows.ProbeRowSchema;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes probe rows through Parquet's record API as their events arrive, so that no row is held
 * whole: {@link #startRow} opens a row, each event is framed by {@link #startEvent} and {@link
 * #endEvent}, and the writer's {@link ParquetWriter#write write(eventCount)} ends the row. Ending
 * it through the writer lets the writer count the row and close row groups between rows. {@code
 * event_count} comes after the list, once it is known.
 *
 * <p>It counts and fingerprints the events it hands to the writer ({@link DigestingConsumer}), for
 * the self-check.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class ProbeRowWriteSupport extends WriteSupport<Long> {
  private final ProbeRowSchema schema;
  private DigestingConsumer consumer;
  private long place;
  private long events;
  private long digest;

  public ProbeRowWriteSupport(ProbeRowSchema schema) {
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
    this.consumer = new DigestingConsumer(recordConsumer);
  }

  /** The events handed to the writer. */
  long events() {
    return events;
  }

  /** The sum of the {@link EventDigest}s of the events handed to the writer. */
  long digest() {
    return digest;
  }

  /** Opens a row; its first event follows. */
  void startRow(byte[] key, int chunk) {
    consumer.startMessage();
    schema.writeKeyField(consumer, key);
    consumer.startField(ProbeRowSchema.CHUNK, 1);
    consumer.addInteger(chunk);
    consumer.endField(ProbeRowSchema.CHUNK, 1);
    consumer.startField(ProbeRowSchema.EVENTS, 3);
    consumer.startGroup();
    consumer.startField("list", 0);
  }

  /**
   * Opens the next element of the open row's list, for the event whose event key is {@code
   * eventKey[0, length)} with its key ending at {@code keyEnd}; the caller writes the event's group.
   */
  RecordConsumer startEvent(byte[] eventKey, int keyEnd, int length) {
    place = EventDigest.place(eventKey, keyEnd, length);
    consumer.forgetLastEvent();
    consumer.startGroup();
    consumer.startField("element", 0);
    return consumer;
  }

  void endEvent() {
    consumer.endField("element", 0);
    consumer.endGroup();
    events++;
    digest += EventDigest.event(consumer.key(), place, consumer.lastEvent());
  }

  /** Ends the open row, which holds {@code eventCount} events. */
  @Override
  public void write(Long eventCount) {
    consumer.endField("list", 0);
    consumer.endGroup();
    consumer.endField(ProbeRowSchema.EVENTS, 3);
    consumer.startField(ProbeRowSchema.EVENT_COUNT, 2);
    consumer.addLong(eventCount);
    consumer.endField(ProbeRowSchema.EVENT_COUNT, 2);
    consumer.endMessage();
  }
}
