package dev.probe.rows.schema;

import dev.probe.rows.InvalidInputException;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.ByteSource;
import dev.probe.rows.events.EventKeys;
import dev.probe.rows.sort.RunSorter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.schemas.logicaltypes.Date;
import org.apache.beam.sdk.schemas.logicaltypes.DateTime;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.Time;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * How a Beam {@link Row} becomes an event of the sort and back: its event key is {@code [key][sort
 * value][event]} (see {@link EventKeys}), where the event is the row without its key field,
 * encoded by its {@link RowCoder}. Unsigned byte order of event keys is (key, sort value) order,
 * and events that tie on both are ordered by their encoded bytes: a {@code PCollection} has no
 * order to keep, so ties get one that is the same on every runner and every run.
 *
 * <p>Keys: {@code STRING} (its UTF-8 bytes), {@code BYTES}, {@code BYTE}, {@code INT16}, {@code
 * INT32}, {@code INT64}. Sort values, each written fixed-width, big-endian, sign bit flipped (so
 * values before 1970 or below zero sort first): {@code BYTE}, {@code INT16}, {@code INT32}, {@code
 * INT64}, {@code DATETIME} (millis), and the logical types {@link MicrosInstant} ({@code
 * SqlTypes.TIMESTAMP}) and {@link NanosInstant} (seconds, then nanos), {@link Date} (days), {@link
 * Time} (nanos of day) and {@link DateTime} (seconds in UTC, then nanos). Every sort value takes at
 * least eight bytes, as {@link RunSorter} reads the eight bytes after the key.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class RowEvents implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String CHUNK = "chunk";
  static final String EVENT_COUNT = "event_count";
  static final String EVENTS = "events";

  private enum KeyType {
    STRING,
    BYTES,
    BYTE,
    INT16,
    INT32,
    INT64
  }

  private enum SortType {
    INTEGER(8),
    MILLIS(8),
    INSTANT(12),
    DATE(8),
    TIME(8),
    LOCAL_DATE_TIME(12);

    final int width;

    SortType(int width) {
      this.width = width;
    }
  }

  private final String keyField;
  private final String sortField;
  private final int keyIndex;
  private final int sortIndex;
  private final KeyType keyType;
  private final SortType sortType;
  /** Indexes, in the input schema, of the fields that make an event: all but the key. */
  private final int[] eventFields;

  private final RowCoder eventCoder;
  private final Schema probeRowSchema;

  private RowEvents(Schema input, String keyField, String sortField) {
    this.keyField = keyField;
    this.sortField = sortField;
    this.keyIndex = fieldIndex(input, keyField, "key");
    this.sortIndex = fieldIndex(input, sortField, "sort");
    if (keyIndex == sortIndex) {
      throw new IllegalArgumentException(
          "the key and the sort field are both '" + keyField + "': they must differ");
    }
    this.keyType = keyType(input.getField(keyIndex));
    this.sortType = sortType(input.getField(sortIndex));
    List<Field> events = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < input.getFieldCount(); i++) {
      if (i != keyIndex) {
        events.add(input.getField(i));
        indexes.add(i);
      }
    }
    this.eventFields = indexes.stream().mapToInt(Integer::intValue).toArray();
    Schema eventSchema = Schema.builder().addFields(events).build();
    this.eventCoder = RowCoder.of(eventSchema);
    Field key = input.getField(keyIndex);
    for (String name : List.of(CHUNK, EVENT_COUNT, EVENTS)) {
      if (key.getName().equals(name)) {
        throw new IllegalArgumentException(
            "the key field cannot be named '" + name + "': a probe row has a field of that name");
      }
    }
    this.probeRowSchema =
        Schema.builder()
            .addField(key.getName(), key.getType().withNullable(false))
            .addInt32Field(CHUNK)
            .addInt64Field(EVENT_COUNT)
            .addArrayField(EVENTS, FieldType.row(eventSchema))
            .build();
  }

  /**
   * The events of rows of {@code input}, grouped by {@code keyField} and ordered by {@code
   * sortField}; throws {@link IllegalArgumentException}, in one sentence naming the field and its
   * type, if either is missing or of a type not listed above.
   */
  public static RowEvents of(Schema input, String keyField, String sortField) {
    return new RowEvents(input, keyField, sortField);
  }

  /** Key field (never null), {@code chunk} INT32, {@code event_count} INT64, {@code events}. */
  Schema probeRowSchema() {
    return probeRowSchema;
  }

  Schema eventSchema() {
    return eventCoder.getSchema();
  }

  /**
   * Writes the row's event key to {@code out} (emptied first); returns where its key ends. A row
   * with a null key or sort value has no place in a timeline: it is refused with {@link
   * InvalidInputException}.
   */
  int encode(Row row, ByteSink out) {
    out.reset();
    Object key = row.getValue(keyIndex);
    if (key == null) {
      throw new InvalidInputException(
          "a row has a null key field '" + keyField + "', which no probe row can hold: " + row);
    }
    Object sortValue = row.getValue(sortIndex);
    if (sortValue == null) {
      throw new InvalidInputException(
          "a row has a null sort field '" + sortField + "', which no timeline can place: " + row);
    }
    byte[] keyBytes = keyBytes(key);
    int keyEnd = EventKeys.appendKey(out, keyBytes, 0, keyBytes.length);
    writeSortValue(sortValue, out);
    List<Object> values = new ArrayList<>(eventFields.length);
    for (int field : eventFields) {
      values.add(row.getValue(field));
    }
    try {
      eventCoder.encode(Row.withSchema(eventSchema()).attachValues(values), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a row in memory", e);
    }
    return keyEnd;
  }

  /** The key of an event key, as the key field's value. */
  Object key(byte[] eventKey) {
    byte[] raw = EventKeys.key(eventKey);
    switch (keyType) {
      case STRING:
        return new String(raw, StandardCharsets.UTF_8);
      case BYTES:
        return raw;
      default:
        long value = new ByteSource(raw, 0).readLong() ^ Long.MIN_VALUE;
        switch (keyType) {
          case BYTE:
            return (byte) value;
          case INT16:
            return (short) value;
          case INT32:
            return (int) value;
          default:
            return value;
        }
    }
  }

  /** The event of an event key whose key ends at {@code keyEnd}. */
  Row event(byte[] eventKey, int keyEnd) {
    int start = keyEnd + sortType.width;
    try {
      return eventCoder.decode(
          new ByteArrayInputStream(eventKey, start, eventKey.length - start));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode an event in memory", e);
    }
  }

  /** A probe row: the events of one key, or the {@code chunk}-th piece of them. */
  Row probeRow(Object key, int chunk, List<Row> events) {
    return Row.withSchema(probeRowSchema).attachValues(key, chunk, (long) events.size(), events);
  }

  private byte[] keyBytes(Object key) {
    switch (keyType) {
      case STRING:
        return ((String) key).getBytes(StandardCharsets.UTF_8);
      case BYTES:
        return (byte[]) key;
      default:
        ByteSink bytes = new ByteSink(8);
        bytes.writeLong(((Number) key).longValue() ^ Long.MIN_VALUE);
        return bytes.toByteArray();
    }
  }

  private void writeSortValue(Object value, ByteSink out) {
    switch (sortType) {
      case INTEGER:
        out.writeLong(((Number) value).longValue() ^ Long.MIN_VALUE);
        break;
      case MILLIS:
        out.writeLong(((ReadableInstant) value).getMillis() ^ Long.MIN_VALUE);
        break;
      case INSTANT:
        Instant instant = (Instant) value;
        out.writeLong(instant.getEpochSecond() ^ Long.MIN_VALUE);
        out.writeInt(instant.getNano());
        break;
      case DATE:
        out.writeLong(((LocalDate) value).toEpochDay() ^ Long.MIN_VALUE);
        break;
      case TIME:
        out.writeLong(((LocalTime) value).toNanoOfDay());
        break;
      case LOCAL_DATE_TIME:
        LocalDateTime dateTime = (LocalDateTime) value;
        out.writeLong(dateTime.toEpochSecond(ZoneOffset.UTC) ^ Long.MIN_VALUE);
        out.writeInt(dateTime.getNano());
        break;
    }
  }

  private static int fieldIndex(Schema input, String name, String role) {
    if (!input.hasField(name)) {
      throw new IllegalArgumentException(
          "the input has no "
              + role
              + " field '"
              + name
              + "'; its fields: "
              + input.getFields().stream().map(Field::getName).collect(Collectors.joining(", ")));
    }
    return input.indexOf(name);
  }

  private static KeyType keyType(Field field) {
    TypeName type = field.getType().getTypeName();
    switch (type) {
      case STRING:
        return KeyType.STRING;
      case BYTES:
        return KeyType.BYTES;
      case BYTE:
        return KeyType.BYTE;
      case INT16:
        return KeyType.INT16;
      case INT32:
        return KeyType.INT32;
      case INT64:
        return KeyType.INT64;
      default:
        throw new IllegalArgumentException(
            "the key field '"
                + field.getName()
                + "' is of type "
                + field.getType()
                + "; a key must be STRING, BYTES, BYTE, INT16, INT32 or INT64");
    }
  }

  private static SortType sortType(Field field) {
    FieldType type = field.getType();
    switch (type.getTypeName()) {
      case BYTE:
      case INT16:
      case INT32:
      case INT64:
        return SortType.INTEGER;
      case DATETIME:
        return SortType.MILLIS;
      case LOGICAL_TYPE:
        String identifier = type.getLogicalType().getIdentifier();
        if (identifier.equals(MicrosInstant.IDENTIFIER)
            || identifier.equals(NanosInstant.IDENTIFIER)) {
          return SortType.INSTANT;
        } else if (identifier.equals(Date.IDENTIFIER)) {
          return SortType.DATE;
        } else if (identifier.equals(Time.IDENTIFIER)) {
          return SortType.TIME;
        } else if (identifier.equals(DateTime.IDENTIFIER)) {
          return SortType.LOCAL_DATE_TIME;
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "the sort field '"
            + field.getName()
            + "' is of type "
            + type
            + "; a sort field must be BYTE, INT16, INT32, INT64, DATETIME, or a timestamp, date,"
            + " time or datetime logical type");
  }
}
