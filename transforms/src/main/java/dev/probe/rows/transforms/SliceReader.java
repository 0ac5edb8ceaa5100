package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads one row group and turns each placeable row into its shuffle form: an event key (see {@link
 * EventKeys}) and the encoded event. Rows whose key or sort value is null are counted. The buffers
 * are reused from row to row: a visitor copies what it keeps.
 */
final class SliceReader {
  /** Receives each row of a slice, in file order. */
  interface Visitor {
    /** A placeable row: see {@link #eventKey} and {@link #event}. */
    void event(SliceReader reader);

    /** A row whose key or sort value is null; {@code reason} is a {@link RejectedRow} reason. */
    void rejected(Group row, long rowInFile, String reason);
  }

  private final ProbeRowSchema schema;
  private final ByteSink rawKey = new ByteSink(64);
  private final ByteSink eventKey = new ByteSink(64);
  private final ByteSink event = new ByteSink(256);
  private int keyEnd;
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

  long nullKeys() {
    return nullKeys;
  }

  long nullSorts() {
    return nullSorts;
  }

  void read(FileSlice slice, Visitor visitor) {
    nullKeys = 0;
    nullSorts = 0;
    try (ParquetFileReader reader =
        ParquetFileReader.open(ParquetFiles.inputFile(slice.path(), slice.fileSize()))) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      MessageType requested = project(fileSchema, schema.readSchema());
      reader.setRequestedSchema(requested);
      for (int i = 0; i < slice.rowGroup(); i++) {
        reader.skipNextRowGroup();
      }
      PageReadStore pages = reader.readNextRowGroup();
      RecordReader<Group> records =
          new ColumnIOFactory()
              .getColumnIO(requested, fileSchema)
              .getRecordReader(pages, new GroupRecordConverter(requested));
      long row = slice.firstRow();
      for (long i = 0; i < pages.getRowCount(); i++, row++) {
        Group record = records.read();
        rawKey.reset();
        if (!schema.writeKey(record, rawKey)) {
          nullKeys++;
          visitor.rejected(record, row, RejectedRow.NULL_KEY);
          continue;
        }
        if (!schema.hasSortValue(record)) {
          nullSorts++;
          visitor.rejected(record, row, RejectedRow.NULL_SORT);
          continue;
        }
        eventKey.reset();
        keyEnd = EventKeys.appendKey(eventKey, rawKey.array(), 0, rawKey.size());
        schema.writeSortValue(record, eventKey);
        eventKey.writeInt(slice.fileIndex());
        eventKey.writeLong(row);
        event.reset();
        schema.writeEvent(record, event);
        visitor.event(this);
      }
    } catch (IOException | ParquetDecodingException e) {
      if (StorageException.causedByStore(e)) {
        throw new StorageException("cannot read " + slice, e);
      }
      throw new InvalidInputException("cannot read " + slice + ": " + e.getMessage(), e);
    }
  }

  /** The file's own types for the columns to read, so nullability follows each file. */
  private static MessageType project(MessageType fileSchema, MessageType readSchema) {
    List<Type> fields =
        fileSchema.getFields().stream()
            .filter(field -> readSchema.containsField(field.getName()))
            .collect(Collectors.toList());
    return new MessageType(fileSchema.getName(), fields);
  }
}
