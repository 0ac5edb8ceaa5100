package dev.probe.rows;

import dev.probe.rows.events.ByteSource;
import dev.probe.rows.parquet.EventCodec;
import dev.probe.rows.parquet.ParquetFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * How input events map to probe rows: which columns are read, the key, the sort column, the columns
 * kept inside {@code events}, and the output schema.
 *
 * <p>Output: {@code <key>} (the input's type), {@code chunk} INT32, {@code event_count} INT64 and
 * {@code events}, a standard three-level LIST of a struct of the event columns with their input
 * types unchanged.
 */
public final class ProbeRowSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String CHUNK = "chunk";
  public static final String EVENT_COUNT = "event_count";
  public static final String EVENTS = "events";
  public static final String REJECT_REASON = "reject_reason";
  public static final String SOURCE_FILE = "source_file";
  public static final String SOURCE_ROW = "source_row";
  private static final Set<String> OUTPUT_COLUMNS = Set.of(CHUNK, EVENT_COUNT, EVENTS);

  // Parquet's schema classes are not Serializable: the schema travels in a footer's Thrift form,
  // as files hold it. Its text form cannot hold every name a file may have (an empty root name).
  private final byte[] readSchemaBytes;
  private final String keyColumn;
  private final String sortColumn;
  private final List<String> eventColumns;

  private transient MessageType readSchema;
  private transient MessageType outputSchema;
  private transient MessageType rejectsSchema;
  private transient GroupType eventType;
  private transient EventCodec.FieldWriter[] rowWriters;
  private transient EventCodec.FieldWriter[] eventWriters;
  private transient int keyIndex;

  private ProbeRowSchema(
      MessageType readSchema, String keyColumn, String sortColumn, List<String> eventColumns) {
    this.readSchemaBytes = ParquetFiles.schemaBytes(readSchema);
    this.keyColumn = keyColumn;
    this.sortColumn = sortColumn;
    this.eventColumns = List.copyOf(eventColumns);
  }

  /**
   * Validates the columns against the files' schema.
   *
   * @param selectedColumns the columns to keep inside {@code events}; empty keeps every column but
   *     the key
   * @throws InvalidInputException with one actionable line when a column is missing or unusable
   */
  public static ProbeRowSchema of(
      MessageType fileSchema, String keyColumn, String sortColumn, List<String> selectedColumns) {
    List<String> available =
        fileSchema.getFields().stream().map(Type::getName).collect(Collectors.toList());
    for (Type field : fileSchema.getFields()) {
      if (OUTPUT_COLUMNS.contains(field.getName())) {
        throw new InvalidInputException(
            "input column '"
                + field.getName()
                + "' has the name of an output column ("
                + String.join(", ", List.of(CHUNK, EVENT_COUNT, EVENTS))
                + "); rename it in the input");
      }
    }
    if (keyColumn.equals(sortColumn)) {
      throw new InvalidInputException(
          "the key column and the sort column are both '" + keyColumn + "'");
    }
    PrimitiveType key = column(fileSchema, keyColumn, "key", available);
    PrimitiveType sort = column(fileSchema, sortColumn, "sort", available);
    if (!isUsableKey(key)) {
      throw new InvalidInputException(
          "key column '"
              + keyColumn
              + "' has type "
              + describe(key)
              + "; a key must be a string, binary or integer column");
    }
    if (!isUsableSort(sort)) {
      throw new InvalidInputException(
          "sort column '"
              + sortColumn
              + "' has type "
              + describe(sort)
              + "; the sort column must be an integer, decimal, date, time or timestamp"
              + " (any unit, INT96 included) column");
    }
    for (String selected : selectedColumns) {
      if (!available.contains(selected)) {
        throw new InvalidInputException(
            "column '" + selected + "' not found; the files have: " + String.join(", ", available));
      }
      if (selected.equals(keyColumn)) {
        throw new InvalidInputException(
            "column '" + selected + "' is the key; it is already a column of every probe row");
      }
    }
    List<String> events =
        available.stream()
            .filter(name -> !name.equals(keyColumn))
            .filter(name -> selectedColumns.isEmpty() || selectedColumns.contains(name))
            .collect(Collectors.toList());
    List<Type> read =
        fileSchema.getFields().stream()
            .filter(
                field ->
                    field.getName().equals(keyColumn)
                        || field.getName().equals(sortColumn)
                        || events.contains(field.getName()))
            .collect(Collectors.toList());
    return new ProbeRowSchema(
        new MessageType(fileSchema.getName(), read), keyColumn, sortColumn, events);
  }

  private static PrimitiveType column(
      MessageType schema, String name, String role, List<String> available) {
    if (!schema.containsField(name)) {
      throw new InvalidInputException(
          role
              + " column '"
              + name
              + "' not found; the files have: "
              + String.join(", ", available));
    }
    Type type = schema.getType(name);
    if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
      throw new InvalidInputException(
          role + " column '" + name + "' is a nested or repeated column; it must hold one value");
    }
    return type.asPrimitiveType();
  }

  private static boolean isUsableKey(PrimitiveType type) {
    switch (type.getPrimitiveTypeName()) {
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        return true;
      case INT32:
      case INT64:
        return isIntegerLike(type.getLogicalTypeAnnotation());
      default:
        return false;
    }
  }

  private static boolean isUsableSort(PrimitiveType type) {
    switch (type.getPrimitiveTypeName()) {
      case INT96:
        return true;
      case FIXED_LEN_BYTE_ARRAY:
      case BINARY:
        // Big-endian two's complement, of a fixed width or sign-extended to one: ordered once the
        // sign bit is flipped.
        return type.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
      case INT32:
      case INT64:
        return isIntegerLike(type.getLogicalTypeAnnotation());
      default:
        return false;
    }
  }

  private static boolean isIntegerLike(LogicalTypeAnnotation annotation) {
    return annotation == null
        || annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
  }

  private static String describe(PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    return type.getPrimitiveTypeName() + (annotation == null ? "" : " (" + annotation + ")");
  }

  public String keyColumn() {
    return keyColumn;
  }

  public String sortColumn() {
    return sortColumn;
  }

  public List<String> eventColumns() {
    return eventColumns;
  }

  /** The columns to read from each file: key, sort column and event columns, in file order. */
  public MessageType readSchema() {
    init();
    return readSchema;
  }

  public MessageType outputSchema() {
    init();
    return outputSchema;
  }

  /** Rejected rows: the columns read, then why, and where they came from. */
  public MessageType rejectsSchema() {
    init();
    return rejectsSchema;
  }

  private void init() {
    if (readSchema != null) {
      return;
    }
    MessageType read = ParquetFiles.schemaFromBytes(readSchemaBytes);
    keyIndex = read.getFieldIndex(keyColumn);
    List<Type> eventFields = new ArrayList<>();
    for (String column : eventColumns) {
      eventFields.add(read.getType(column));
    }
    eventType = new GroupType(Type.Repetition.REQUIRED, "element", eventFields);
    rowWriters = EventCodec.fieldWriters(read);
    eventWriters = EventCodec.fieldWriters(eventType);
    outputSchema =
        Types.buildMessage()
            .addField(read.getType(keyIndex))
            .required(PrimitiveTypeName.INT32)
            .named(CHUNK)
            .required(PrimitiveTypeName.INT64)
            .named(EVENT_COUNT)
            .addField(
                Types.requiredGroup()
                    .as(LogicalTypeAnnotation.listType())
                    .addField(
                        new GroupType(Type.Repetition.REPEATED, "list", List.<Type>of(eventType)))
                    .named(EVENTS))
            .named("probe_row");
    rejectsSchema =
        Types.buildMessage()
            .addFields(read.getFields().toArray(new Type[0]))
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(REJECT_REASON)
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(SOURCE_FILE)
            .required(PrimitiveTypeName.INT64)
            .named(SOURCE_ROW)
            .named("rejected_row");
    readSchema = read;
  }

  // ---- writing: shuffle form into a probe row or a rejected row ----

  /**
   * Writes a row encoded by {@code RowEncoder.writeRow} as the leading fields of a rejected row.
   */
  @Internal
  public void writeRowFields(RecordConsumer consumer, byte[] row) {
    init();
    ByteSource in = new ByteSource(row, 0);
    for (EventCodec.FieldWriter field : rowWriters) {
      field.write(in, consumer);
    }
  }

  @Internal
  public void writeKeyField(RecordConsumer consumer, byte[] key) {
    init();
    consumer.startField(keyColumn, 0);
    switch (readSchema.getType(keyIndex).asPrimitiveType().getPrimitiveTypeName()) {
      case INT32:
        consumer.addInteger(new ByteSource(key, 0).readInt());
        break;
      case INT64:
        consumer.addLong(new ByteSource(key, 0).readLong());
        break;
      default:
        consumer.addBinary(Binary.fromConstantByteArray(key));
        break;
    }
    consumer.endField(keyColumn, 0);
  }

  /** Writes one event as an element of the open {@code events} list. */
  @Internal
  public void writeEventElement(RecordConsumer consumer, byte[] event) {
    init();
    ByteSource in = new ByteSource(event, 0);
    consumer.startGroup();
    for (EventCodec.FieldWriter field : eventWriters) {
      field.write(in, consumer);
    }
    consumer.endGroup();
  }
}
