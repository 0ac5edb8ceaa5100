package dev.probe.rows.parquet;

import dev.probe.rows.InvalidInputException;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.ByteSource;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One file's rows in their shuffle form, encoded by {@link EventCodec} as parquet-mr reads them:
 * the key, the sort value, the event and, for a rejected row, every column read. It holds the last
 * row read, until the next one starts.
 */
final class RowEncoder extends RecordMaterializer<RowEncoder> {
  private final MessageType fileColumns;
  private final boolean flat;
  private final EventCodec.GroupEncoder record;
  private final PrimitiveTypeName keyType;
  private final PrimitiveTypeName sortType;
  private final boolean signedSortValue;
  // The width a byte-array decimal sort value is sign-extended to: its precision's.
  private final int decimalSortWidth;
  private final String sortColumn;
  private final EventCodec.FieldValues key;
  private final EventCodec.FieldValues sortValue;
  private final EventCodec.FieldValues[] eventColumns;

  /** Encodes the columns {@code schema} reads, from a file whose schema is {@code fileSchema}. */
  RowEncoder(ProbeRowSchema schema, MessageType fileSchema) {
    MessageType read = schema.readSchema();
    // The file's own types, so nullability follows each file; the fields are the read schema's,
    // in its order, as every file has the same columns in the same order.
    List<Type> fields =
        fileSchema.getFields().stream()
            .filter(field -> read.containsField(field.getName()))
            .collect(Collectors.toList());
    fileColumns = new MessageType(fileSchema.getName(), fields);
    flat = FlatColumns.areFlat(fileColumns);
    // Flat columns are read value by value, and FlatColumns digests the values itself.
    record = EventCodec.recordEncoder(fileColumns, read, !flat);
    int keyIndex = read.getFieldIndex(schema.keyColumn());
    int sortIndex = read.getFieldIndex(schema.sortColumn());
    keyType = read.getType(keyIndex).asPrimitiveType().getPrimitiveTypeName();
    sortType = read.getType(sortIndex).asPrimitiveType().getPrimitiveTypeName();
    signedSortValue = isSigned(read.getType(sortIndex).asPrimitiveType());
    decimalSortWidth = decimalWidth(read.getType(sortIndex).asPrimitiveType());
    sortColumn = schema.sortColumn();
    key = record.field(keyIndex);
    sortValue = record.field(sortIndex);
    eventColumns =
        schema.eventColumns().stream()
            .map(column -> record.field(read.getFieldIndex(column)))
            .toArray(EventCodec.FieldValues[]::new);
  }

  /** The columns to request from the file. */
  MessageType fileColumns() {
    return fileColumns;
  }

  /** Whether the columns are flat: read them with {@link FlatColumns}, which digests them. */
  boolean flat() {
    return flat;
  }

  @Override
  public GroupConverter getRootConverter() {
    return record;
  }

  @Override
  public RowEncoder getCurrentRecord() {
    return this;
  }

  /** Appends the key's bytes to {@code out}; false (nothing written) when the key is null. */
  boolean writeKey(ByteSink out) {
    if (key.count() == 0) {
      return false;
    }
    if (keyType == PrimitiveTypeName.BINARY) {
      // The key is the binary's bytes, without the length that prefixes them in its encoding.
      ByteSource in = new ByteSource(key.array(), 0);
      int length = in.readVarInt();
      out.writeBytes(key.array(), in.position(), length);
    } else {
      // Big-endian INT32 or INT64, or the fixed-length bytes: the encoding is the key.
      out.writeBytes(key.array(), 0, key.size());
    }
    return true;
  }

  boolean hasSortValue() {
    return sortValue.count() != 0;
  }

  /**
   * Appends the sort value in a fixed-width form whose unsigned byte order is the value order:
   * signed integers and decimals get their sign bit flipped (times before 1970 sort first), a
   * byte-array decimal is first sign-extended to its precision's width, INT96 timestamps become
   * (julian day, nanos of day).
   */
  void writeSortValue(ByteSink out) {
    ByteSource in = new ByteSource(sortValue.array(), 0);
    switch (sortType) {
      case INT32:
        int intValue = in.readInt();
        out.writeInt(signedSortValue ? intValue ^ Integer.MIN_VALUE : intValue);
        break;
      case INT64:
        long longValue = in.readLong();
        out.writeLong(signedSortValue ? longValue ^ Long.MIN_VALUE : longValue);
        break;
      case INT96:
        // Parquet's INT96: 8 bytes nanos of day then 4 bytes julian day, both little-endian.
        byte[] bytes = sortValue.array();
        long nanos = 0;
        for (int i = 7; i >= 0; i--) {
          nanos = (nanos << 8) | (bytes[i] & 0xFF);
        }
        int day = 0;
        for (int i = 11; i >= 8; i--) {
          day = (day << 8) | (bytes[i] & 0xFF);
        }
        out.writeInt(day ^ Integer.MIN_VALUE);
        out.writeLong(nanos ^ Long.MIN_VALUE);
        break;
      case FIXED_LEN_BYTE_ARRAY:
        // A decimal: big-endian two's complement, all values of the column's width.
        byte[] decimal = sortValue.array();
        out.writeByte((decimal[0] ^ 0x80) & 0xFF);
        out.writeBytes(decimal, 1, sortValue.size() - 1);
        break;
      case BINARY:
        int length = in.readVarInt();
        writeSignExtended(sortValue.array(), in.position(), length, out);
        break;
      default:
        throw new IllegalStateException("unsupported sort type " + sortType);
    }
  }

  /**
   * A byte-array decimal (big-endian two's complement of any length) as a fixed-length one of the
   * column's width, sign bit flipped; redundant leading sign bytes are dropped first.
   */
  private void writeSignExtended(byte[] bytes, int start, int length, ByteSink out) {
    while (length > decimalSortWidth
        && (bytes[start] == 0 && bytes[start + 1] >= 0
            || bytes[start] == -1 && bytes[start + 1] < 0)) {
      start++;
      length--;
    }
    if (length > decimalSortWidth) {
      throw new InvalidInputException(
          "a value of sort column '"
              + sortColumn
              + "' has more digits than its decimal precision allows");
    }
    int fill = length > 0 && bytes[start] < 0 ? 0xFF : 0;
    for (int i = length; i < decimalSortWidth; i++) {
      out.writeByte((i == length ? fill ^ 0x80 : fill) & 0xFF);
    }
    if (length > 0) {
      int first = length == decimalSortWidth ? bytes[start] ^ 0x80 : bytes[start];
      out.writeByte(first & 0xFF);
      out.writeBytes(bytes, start + 1, length - 1);
    }
  }

  /** Bytes of the two's complement of the column's largest decimal, or 0 if not a decimal. */
  private static int decimalWidth(PrimitiveType type) {
    if (!(type.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)) {
      return 0;
    }
    int precision =
        ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) type.getLogicalTypeAnnotation())
            .getPrecision();
    return (BigInteger.TEN.pow(precision).subtract(BigInteger.ONE).bitLength() + 1 + 7) / 8;
  }

  static boolean isSigned(PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    return !(annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)
        || ((LogicalTypeAnnotation.IntLogicalTypeAnnotation) annotation).isSigned();
  }

  /** Appends the event: the event columns, in order. */
  void writeEvent(ByteSink out) {
    for (EventCodec.FieldValues column : eventColumns) {
      column.writeTo(out);
    }
  }

  /** The key's {@link EventDigest} field fingerprint; only for columns that are not {@link #flat}. */
  long keyDigest() {
    return key.digest();
  }

  /**
   * The {@link EventDigest#groupValue} of the event columns; only for columns that are not {@link
   * #flat}.
   */
  long eventDigest() {
    return EventDigest.groupValue(EventCodec.digest(eventColumns));
  }

  /** Appends every column read, in order, for a rejected row. */
  void writeRow(ByteSink out) {
    record.writeFieldsTo(out);
  }
}
