package dev.probe.rows.transforms;

import java.io.IOException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads one row group and turns each placeable row into its shuffle form: an event key (see {@link
 * EventKeys}) and the encoded event. Rows whose key or sort value is null are counted. The buffers
 * are reused from row to row: a receiver copies what it keeps.
 */
final class SliceReader {
  /** Receives each placeable row of a slice, in file order. */
  interface Events {
    /** See {@link #eventKey}, {@link #event} and {@link #rowInSlice}. */
    void event(SliceReader row);
  }

  /** Receives each row of a slice that cannot be placed, in file order. */
  interface Rejects {
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
  private int keyEnd;
  private int rowInSlice;
  private long nullKeys;
  private long nullSorts;

  SliceReader(ProbeRowSchema schema) {
    this.schema = schema;
  }

  /** The current row's event key. */
  ByteSink eventKey() {
    return eventKey;
  }

  /** The current row's encoded event. */
  ByteSink event() {
    return event;
  }

  /** Offset in {@link #eventKey} just past the key bytes, where the sort value starts. */
  int keyEnd() {
    return keyEnd;
  }

  /** The current row's index in its slice, counting rejected rows too. */
  int rowInSlice() {
    return rowInSlice;
  }

  long nullKeys() {
    return nullKeys;
  }

  long nullSorts() {
    return nullSorts;
  }

  void read(FileSlice slice, Events events, Rejects rejects) {
    nullKeys = 0;
    nullSorts = 0;
    try (ParquetFileReader reader =
        ParquetFileReader.open(ParquetFiles.inputFile(slice.path(), slice.fileSize()))) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      RowEncoder encoder = new RowEncoder(schema, fileSchema);
      reader.setRequestedSchema(encoder.fileColumns());
      for (int i = 0; i < slice.rowGroup(); i++) {
        reader.skipNextRowGroup();
      }
      PageReadStore pages = reader.readNextRowGroup();
      RecordReader<RowEncoder> records =
          new ColumnIOFactory()
              .getColumnIO(encoder.fileColumns(), fileSchema)
              .getRecordReader(pages, encoder);
      long row = slice.firstRow();
      for (long i = 0; i < pages.getRowCount(); i++, row++) {
        records.read();
        rawKey.reset();
        if (!encoder.writeKey(rawKey)) {
          nullKeys++;
          rejects.rejected(encodedColumns(encoder), row, RejectedRow.NULL_KEY);
          continue;
        }
        if (!encoder.hasSortValue()) {
          nullSorts++;
          rejects.rejected(encodedColumns(encoder), row, RejectedRow.NULL_SORT);
          continue;
        }
        eventKey.reset();
        keyEnd = EventKeys.appendKey(eventKey, rawKey.array(), 0, rawKey.size());
        encoder.writeSortValue(eventKey);
        eventKey.writeInt(slice.fileIndex());
        eventKey.writeLong(row);
        event.reset();
        encoder.writeEvent(event);
        rowInSlice = (int) i;
        events.event(this);
      }
    } catch (IOException | ParquetDecodingException e) {
      if (StorageException.causedByStore(e)) {
        throw new StorageException("cannot read " + slice, e);
      }
      throw new InvalidInputException("cannot read " + slice + ": " + e.getMessage(), e);
    }
  }

  private static byte[] encodedColumns(RowEncoder encoder) {
    ByteSink columns = new ByteSink(256);
    encoder.writeRow(columns);
    return columns.toByteArray();
  }
}
