package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads one row group and turns each placeable row into its shuffle form: an event key (see {@link
 * EventKeys}) and the encoded event, or writes its event straight into a probe row ({@link
 * #writeEventElement}). Rows whose key or sort value is null are counted. The buffers are reused
 * from row to row: a receiver copies what it keeps.
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
  private RowEncoder encoder;
  // The current row group's columns when they are flat, else null: its rows are assembled.
  private FlatColumns flat;
  private boolean eventEncoded;
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

  /** The current row's encoded event, encoded when first asked for. */
  ByteSink event() {
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

  void read(FileSlice slice, Events events, Rejects rejects) {
    nullKeys = 0;
    nullSorts = 0;
    try (ParquetFileReader reader =
        ParquetFileReader.open(ParquetFiles.inputFile(slice.path(), slice.fileSize()))) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      encoder = new RowEncoder(schema, fileSchema);
      MessageType fileColumns = encoder.fileColumns();
      reader.setRequestedSchema(fileColumns);
      for (int i = 0; i < slice.rowGroup(); i++) {
        reader.skipNextRowGroup();
      }
      PageReadStore pages = reader.readNextRowGroup();
      RecordReader<RowEncoder> records = null;
      flat = null;
      if (FlatColumns.areFlat(fileColumns)) {
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
    } catch (IOException | ParquetDecodingException e) {
      if (StorageException.causedByStore(e)) {
        throw new StorageException("cannot read " + slice, e);
      }
      throw new InvalidInputException("cannot read " + slice + ": " + e.getMessage(), e);
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
    events.event(this);
  }

  private byte[] encodedColumns() {
    if (flat != null) {
      flat.encodeOthers();
    }
    ByteSink columns = new ByteSink(256);
    encoder.writeRow(columns);
    return columns.toByteArray();
  }

  /**
   * A row group whose columns each hold one value, or none, per row, read value by value without
   * record assembly. A row's key and sort value go to the encoder first; its other values only if
   * asked for, so a row written straight through ({@link #copyEvent}) is never encoded.
   */
  private static final class FlatColumns {
    private final GroupConverter record;
    private final ColumnReader[] all;
    private final ColumnReader[] keyAndSort;
    private final ColumnReader[] others;
    private final EventField[] eventFields;
    private boolean othersEncoded;

    FlatColumns(
        PageReadStore pages,
        String createdBy,
        GroupConverter record,
        MessageType fileColumns,
        ProbeRowSchema schema) {
      this.record = record;
      ColumnReadStore store = new ColumnReadStoreImpl(pages, record, fileColumns, createdBy);
      Map<String, ColumnReader> byName = new HashMap<>();
      List<ColumnReader> keyAndSort = new ArrayList<>();
      List<ColumnReader> others = new ArrayList<>();
      for (ColumnDescriptor column : fileColumns.getColumns()) {
        // Each call makes a new reader over the same pages: one per column, kept.
        ColumnReader reader = store.getColumnReader(column);
        String name = column.getPath()[0];
        byName.put(name, reader);
        boolean isKeyOrSort = name.equals(schema.keyColumn()) || name.equals(schema.sortColumn());
        (isKeyOrSort ? keyAndSort : others).add(reader);
      }
      all = byName.values().toArray(new ColumnReader[0]);
      this.keyAndSort = keyAndSort.toArray(new ColumnReader[0]);
      this.others = others.toArray(new ColumnReader[0]);
      List<String> events = schema.eventColumns();
      eventFields = new EventField[events.size()];
      for (int i = 0; i < eventFields.length; i++) {
        eventFields[i] = new EventField(events.get(i), i, byName.get(events.get(i)));
      }
    }

    static boolean areFlat(MessageType fileColumns) {
      return fileColumns.getFields().stream()
          .allMatch(field -> field.isPrimitive() && !field.isRepetition(Type.Repetition.REPEATED));
    }

    void startRow() {
      record.start();
      othersEncoded = false;
      encode(keyAndSort);
    }

    /** Hands the row's values other than key and sort value to the encoder, once per row. */
    void encodeOthers() {
      if (!othersEncoded) {
        encode(others);
        othersEncoded = true;
      }
    }

    private static void encode(ColumnReader[] columns) {
      for (ColumnReader column : columns) {
        if (column.getCurrentDefinitionLevel() == column.getDescriptor().getMaxDefinitionLevel()) {
          column.writeCurrentValueToConverter();
        }
      }
    }

    /** Writes the row's event columns as one group, a null value as a missing field. */
    void copyEvent(RecordConsumer consumer) {
      consumer.startGroup();
      for (EventField field : eventFields) {
        field.copy(consumer);
      }
      consumer.endGroup();
    }

    void endRow() {
      record.end();
      for (ColumnReader column : all) {
        column.consume();
      }
    }
  }

  /** One event column, copied value by value from its reader into a probe row's event. */
  private static final class EventField {
    private final String name;
    private final int index;
    private final ColumnReader column;
    private final int definedLevel;
    private final ValueCopier copier;

    EventField(String name, int index, ColumnReader column) {
      this.name = name;
      this.index = index;
      this.column = column;
      this.definedLevel = column.getDescriptor().getMaxDefinitionLevel();
      this.copier = copier(column.getDescriptor().getPrimitiveType().getPrimitiveTypeName());
    }

    void copy(RecordConsumer consumer) {
      if (column.getCurrentDefinitionLevel() == definedLevel) {
        consumer.startField(name, index);
        copier.copy(column, consumer);
        consumer.endField(name, index);
      }
    }

    private static ValueCopier copier(PrimitiveTypeName type) {
      switch (type) {
        case BOOLEAN:
          return (from, to) -> to.addBoolean(from.getBoolean());
        case INT32:
          return (from, to) -> to.addInteger(from.getInteger());
        case INT64:
          return (from, to) -> to.addLong(from.getLong());
        case FLOAT:
          return (from, to) -> to.addFloat(from.getFloat());
        case DOUBLE:
          return (from, to) -> to.addDouble(from.getDouble());
        case BINARY:
        case FIXED_LEN_BYTE_ARRAY:
        case INT96:
          ByteSink bytes = new ByteSink(64);
          // A plain-encoded value is a view of its page: handed over as is, the writer's
          // dictionary and statistics would keep whole input pages alive. As a reused array, they
          // copy the few bytes they keep.
          return (from, to) -> {
            bytes.reset();
            bytes.writeBinary(from.getBinary());
            to.addBinary(Binary.fromReusedByteArray(bytes.array(), 0, bytes.size()));
          };
        default:
          throw new IllegalStateException("unknown type " + type);
      }
    }
  }

  @FunctionalInterface
  private interface ValueCopier {
    void copy(ColumnReader from, RecordConsumer to);
  }
}
