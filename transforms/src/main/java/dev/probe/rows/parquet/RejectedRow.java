package dev.probe.rows.parquet;

import dev.probe.rows.ProbeRowSchema;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * A row that cannot be placed in a timeline, as written to the rejects folder.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class RejectedRow {
  public static final String NULL_KEY = "null_key";
  static final String NULL_SORT = "null_sort";

  final byte[] columns;
  final String reason;
  final String sourceFile;
  final long sourceRow;

  public RejectedRow(byte[] columns, String reason, String sourceFile, long sourceRow) {
    this.columns = columns;
    this.reason = reason;
    this.sourceFile = sourceFile;
    this.sourceRow = sourceRow;
  }

  /** Writes rejected rows: the columns as read, then reason, file and row. */
  public static final class Support extends WriteSupport<RejectedRow> {
    private final ProbeRowSchema schema;
    private RecordConsumer consumer;

    public Support(ProbeRowSchema schema) {
      this.schema = schema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema.rejectsSchema(), Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(RejectedRow row) {
      int columns = schema.readSchema().getFieldCount();
      consumer.startMessage();
      schema.writeRowFields(consumer, row.columns);
      consumer.startField(ProbeRowSchema.REJECT_REASON, columns);
      consumer.addBinary(Binary.fromString(row.reason));
      consumer.endField(ProbeRowSchema.REJECT_REASON, columns);
      consumer.startField(ProbeRowSchema.SOURCE_FILE, columns + 1);
      consumer.addBinary(Binary.fromString(row.sourceFile));
      consumer.endField(ProbeRowSchema.SOURCE_FILE, columns + 1);
      consumer.startField(ProbeRowSchema.SOURCE_ROW, columns + 2);
      consumer.addLong(row.sourceRow);
      consumer.endField(ProbeRowSchema.SOURCE_ROW, columns + 2);
      consumer.endMessage();
    }
  }
}
