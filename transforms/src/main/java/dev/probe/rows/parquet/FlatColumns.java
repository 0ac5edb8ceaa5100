package dev.probe.rows.parquet;

import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A row group whose columns each hold one value, or none, per row, read value by value without
 * record assembly, which costs most of the time for flat columns. Each row's key and sort value go
 * to a {@link RowEncoder} first, its other values only if asked for ({@link #encodeOthers}), so a
 * row whose event is copied straight into a probe row ({@link #copyEvent}) is never encoded.
 */
final class FlatColumns {
  private final GroupConverter record;
  private final ColumnReader[] all;
  private final ColumnReader[] keyAndSort;
  private final ColumnReader[] others;
  private final ColumnReader key;
  private final ValueDigester keyDigester;
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
    List<ColumnReader> all = new ArrayList<>();
    List<ColumnReader> keyAndSort = new ArrayList<>();
    List<ColumnReader> others = new ArrayList<>();
    for (ColumnDescriptor column : fileColumns.getColumns()) {
      String name = column.getPath()[0];
      ColumnReader reader;
      try {
        // Each call makes a new reader over the same pages: one per column, kept. It reads the
        // column's dictionary.
        reader = store.getColumnReader(column);
      } catch (RuntimeException e) {
        throw undecodable(name, e);
      }
      byName.put(name, reader);
      all.add(reader);
      boolean isKeyOrSort = name.equals(schema.keyColumn()) || name.equals(schema.sortColumn());
      (isKeyOrSort ? keyAndSort : others).add(reader);
    }
    this.all = all.toArray(new ColumnReader[0]);
    this.keyAndSort = keyAndSort.toArray(new ColumnReader[0]);
    this.others = others.toArray(new ColumnReader[0]);
    key = byName.get(schema.keyColumn());
    keyDigester = digester(key.getDescriptor().getPrimitiveType().getPrimitiveTypeName());
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
    ColumnReader column = null;
    try {
      for (int i = 0; i < columns.length; i++) {
        column = columns[i];
        if (column.getCurrentDefinitionLevel() == column.getDescriptor().getMaxDefinitionLevel()) {
          column.writeCurrentValueToConverter();
        }
      }
    } catch (RuntimeException e) {
      throw undecodable(column, e);
    }
  }

  /**
   * A decoder's failure on {@code column} as an {@link UndecodableColumn}; any other failure (this
   * project's, a receiver's) unchanged.
   */
  private static RuntimeException undecodable(ColumnReader column, RuntimeException failure) {
    return column == null
        ? failure
        : undecodable(column.getDescriptor().getPath()[0], failure);
  }

  private static RuntimeException undecodable(String column, RuntimeException failure) {
    return ParquetFiles.thrownByDecoder(failure)
        ? new UndecodableColumn(column, failure)
        : failure;
  }

  /** A column's pages or values do not decode: the file is corrupt or unsupported. */
  static final class UndecodableColumn extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String column;

    UndecodableColumn(String column, Exception cause) {
      super("column " + column + ": " + ParquetFiles.reason(cause), cause);
      this.column = column;
    }

    String column() {
      return column;
    }
  }

  /** Writes the row's event columns as one group, a null value as a missing field. */
  void copyEvent(RecordConsumer consumer) {
    consumer.startGroup();
    for (EventField field : eventFields) {
      try {
        field.copy(consumer);
      } catch (RuntimeException e) {
        throw undecodable(field.column, e);
      }
    }
    consumer.endGroup();
  }

  /** The key's {@link EventDigest} field fingerprint; the row's key is not null. */
  long keyDigest() {
    return EventDigest.field(EventDigest.FIELD_SEED, keyDigester.digest(key));
  }

  /**
   * The {@link EventDigest#groupValue} of the row's event columns, read from the column readers
   * whichever way the event goes on: the self-check's fingerprint of the event as read.
   */
  long eventDigest() {
    long group = EventDigest.GROUP_SEED;
    for (EventField field : eventFields) {
      if (field.column.getCurrentDefinitionLevel() == field.definedLevel) {
        group =
            EventDigest.group(
                group,
                field.index,
                EventDigest.field(EventDigest.FIELD_SEED, field.digester.digest(field.column)));
      }
    }
    return EventDigest.groupValue(group);
  }

  void endRow() {
    record.end();
    ColumnReader column = null;
    try {
      for (int i = 0; i < all.length; i++) {
        column = all[i];
        // consume() moves on to the next row's levels but not past a value nobody read:
        // unskipped, it would become the next row's value in this column.
        if (column.getCurrentDefinitionLevel() == column.getDescriptor().getMaxDefinitionLevel()) {
          column.skip();
        }
        column.consume();
      }
    } catch (RuntimeException e) {
      throw undecodable(column, e);
    }
  }

  /** One event column, copied value by value from its reader into a probe row's event. */
  private static final class EventField {
    private final String name;
    private final int index;
    private final ColumnReader column;
    private final int definedLevel;
    private final ValueCopier copier;
    private final ValueDigester digester;

    EventField(String name, int index, ColumnReader column) {
      this.name = name;
      this.index = index;
      this.column = column;
      this.definedLevel = column.getDescriptor().getMaxDefinitionLevel();
      this.copier = copier(column.getDescriptor().getPrimitiveType().getPrimitiveTypeName());
      this.digester = digester(column.getDescriptor().getPrimitiveType().getPrimitiveTypeName());
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

  /** The {@link EventDigest} of a column's current value. */
  @FunctionalInterface
  private interface ValueDigester {
    long digest(ColumnReader column);
  }

  private static ValueDigester digester(PrimitiveTypeName type) {
    switch (type) {
      case BOOLEAN:
        return column -> EventDigest.ofLong(column.getBoolean() ? 1 : 0);
      case INT32:
        return column -> EventDigest.ofLong(column.getInteger());
      case INT64:
        return column -> EventDigest.ofLong(column.getLong());
      case FLOAT:
        return column -> EventDigest.ofLong(Float.floatToRawIntBits(column.getFloat()));
      case DOUBLE:
        return column -> EventDigest.ofLong(Double.doubleToRawLongBits(column.getDouble()));
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
      case INT96:
        return new BinaryDigester();
      default:
        throw new IllegalStateException("unknown type " + type);
    }
  }

  /**
   * Digests a byte-array column's values, reusing the fingerprint while a value repeats the one
   * before it, as a key does over the rows of its run.
   */
  private static final class BinaryDigester implements ValueDigester {
    private ByteSink value = new ByteSink(64);
    private ByteSink previous = new ByteSink(64);
    private long previousDigest = EventDigest.ofBytes(new byte[0], 0, 0);

    @Override
    public long digest(ColumnReader column) {
      value.reset();
      value.writeBinary(column.getBinary());
      if (!Arrays.equals(value.array(), 0, value.size(), previous.array(), 0, previous.size())) {
        previousDigest = EventDigest.ofBytes(value.array(), 0, value.size());
        ByteSink swap = previous;
        previous = value;
        value = swap;
      }
      return previousDigest;
    }
  }
}
