package dev.probe.rows.parquet;

import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.io.IOException;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Reads one row group and turns each placeable row into its shuffle form: an event key (see {@link
 * EventKeys}) and the encoded event, or writes its event straight into a probe row ({@link
 * #writeEventElement}). Rows whose key or sort value is null are counted. The buffers are reused
 * from row to row: a receiver copies what it keeps.
 *
 * <p>For the self-check, it counts the placeable rows and sums their {@link EventDigest}s, computed
 * from every value as read, whatever the receiver then does with the row.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class SliceReader {
  /** Receives each placeable row of a slice, in file order. */
  public interface Events {
    /** See {@link #eventKey}, {@link #event} and {@link #rowInSlice}. */
    void event(SliceReader row);
  }

  /** Receives each row of a slice that cannot be placed, in file order. */
  public interface Rejects {
    /**
     * A row whose key or sort value is null; {@code reason} is a {@link RejectedRow} reason. {@code
     * columns} are the row's columns as {@link RowEncoder#writeRow} encodes them, for the receiver
     * to keep.
     */
    void rejected(byte[] columns, long rowInFile, String reason);
  }

  private final ProbeRowSchema schema;
  private final ByteSink rawKey = new ByteSink(64);
  private final ByteSink eventKey = new ByteSink(64);
  private final ByteSink event = new ByteSink(256);
  private RowEncoder encoder;
  // The current row group's columns when they are flat, else null: its rows are assembled.
  private FlatColumns flat;
  private boolean eventEncoded;
  private int keyEnd;
  private int rowInSlice;
  private long nullKeys;
  private long nullSorts;
  private long eventCount;
  private long digest;

  public SliceReader(ProbeRowSchema schema) {
    this.schema = schema;
  }

  /** The current row's event key. */
  public ByteSink eventKey() {
    return eventKey;
  }

  /** Offset in {@link #eventKey} just past the key bytes, where the sort value starts. */
  public int keyEnd() {
    return keyEnd;
  }

  /** The current row's index in its slice, counting rejected rows too. */
  public int rowInSlice() {
    return rowInSlice;
  }

  public long nullKeys() {
    return nullKeys;
  }

  public long nullSorts() {
    return nullSorts;
  }

  /** The placeable rows of the last slice read: its events. */
  public long events() {
    return eventCount;
  }

  /** The sum of the {@link EventDigest}s of the last slice's events, as read. */
  public long digest() {
    return digest;
  }

  /** The current row's encoded event, encoded when first asked for. */
  public ByteSink event() {
    if (!eventEncoded) {
      if (flat != null) {
        flat.encodeOthers();
      }
      event.reset();
      encoder.writeEvent(event);
      eventEncoded = true;
    }
    return event;
  }

  /**
   * Writes the current row's event as the group of an element of a probe row's {@code events}. Flat
   * columns' values go straight from the column readers to {@code consumer}, neither assembled nor
   * encoded.
   */
  void writeEventElement(RecordConsumer consumer) {
    if (flat != null) {
      flat.copyEvent(consumer);
    } else {
      schema.writeEventElement(consumer, event().array());
    }
  }

  public void read(FileSlice slice, Events events, Rejects rejects) {
    nullKeys = 0;
    nullSorts = 0;
    eventCount = 0;
    digest = 0;
    try (ParquetFileReader reader = ParquetFiles.open(slice.path(), slice.fileSize())) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      encoder = new RowEncoder(schema, fileSchema);
      MessageType fileColumns = encoder.fileColumns();
      reader.setRequestedSchema(fileColumns);
      for (int i = 0; i < slice.rowGroup(); i++) {
        reader.skipNextRowGroup();
      }
      PageReadStore pages =
          ParquetFiles.readRowGroup(
              reader, slice.path(), slice.fileSize(), fileColumns, slice.rowGroup());
      RecordReader<RowEncoder> records = null;
      flat = null;
      if (encoder.flat()) {
        flat =
            new FlatColumns(
                pages,
                reader.getFooter().getFileMetaData().getCreatedBy(),
                encoder.getRootConverter(),
                fileColumns,
                schema);
      } else {
        records =
            new ColumnIOFactory()
                .getColumnIO(fileColumns, fileSchema)
                .getRecordReader(pages, encoder);
      }
      long row = slice.firstRow();
      for (long i = 0; i < pages.getRowCount(); i++, row++) {
        if (flat != null) {
          flat.startRow();
        } else {
          records.read();
        }
        eventEncoded = false;
        readRow(slice, row, (int) i, events, rejects);
        if (flat != null) {
          flat.endRow();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw ParquetFiles.readFailure(slice.toString(), e);
    } finally {
      flat = null;
    }
  }

  /** Hands the row whose key and sort value the encoder holds to its receiver. */
  private void readRow(FileSlice slice, long row, int rowInSlice, Events events, Rejects rejects) {
    rawKey.reset();
    if (!encoder.writeKey(rawKey)) {
      nullKeys++;
      rejects.rejected(encodedColumns(), row, RejectedRow.NULL_KEY);
      return;
    }
    if (!encoder.hasSortValue()) {
      nullSorts++;
      rejects.rejected(encodedColumns(), row, RejectedRow.NULL_SORT);
      return;
    }
    eventKey.reset();
    keyEnd = EventKeys.appendKey(eventKey, rawKey.array(), 0, rawKey.size());
    encoder.writeSortValue(eventKey);
    eventKey.writeInt(slice.fileIndex());
    eventKey.writeLong(row);
    this.rowInSlice = rowInSlice;
    eventCount++;
    events.event(this);
    // After the receiver, which has decoded the values it took: the fingerprint reads them again
    // from the column readers, where they stay until the row ends, and costs only its hashing.
    digest +=
        EventDigest.event(
            flat != null ? flat.keyDigest() : encoder.keyDigest(),
            EventDigest.place(eventKey.array(), keyEnd, eventKey.size()),
            flat != null ? flat.eventDigest() : encoder.eventDigest());
  }

  private byte[] encodedColumns() {
    if (flat != null) {
      flat.encodeOthers();
    }
    ByteSink columns = new ByteSink(256);
    encoder.writeRow(columns);
    return columns.toByteArray();
  }
}
