package dev.probe.rows.parquet;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.ByteSource;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A compact, schema-driven binary form of Parquet values, so an event crosses the shuffle as one
 * byte array and is written back with exactly its original physical type.
 *
 * <p>Per field, in schema order: a required field is its value; an optional field is a presence
 * byte then the value; a repeated field is a varint count then the values. Values are fixed-width
 * big-endian numbers, length-prefixed binaries, raw fixed-length bytes, or nested groups.
 *
 * <p>Rows are encoded as parquet-mr reads them ({@link #recordEncoder}) and written back field by
 * field ({@link #fieldWriters}).
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class EventCodec {
  private EventCodec() {}

  /**
   * The converter tree that encodes each record as parquet-mr's record assembly hands over its
   * values, so no record objects are built: every field collects its encoded values, and a nested
   * group, once complete, writes its fields as one value of its own field. The record's fields hold
   * the last record read until the next one starts.
   *
   * @param fileType the file's own type of the record, whose structure the column readers follow
   * @param readType the same fields as every file is read: their repetitions frame the values, so a
   *     column required in one file and optional in another is encoded alike
   * @param digesting whether each field also keeps the {@link EventDigest} of its values, for the
   *     self-check; a reader that reads the values itself ({@link FlatColumns}) digests them there
   */
  static GroupEncoder recordEncoder(GroupType fileType, GroupType readType, boolean digesting) {
    return new GroupEncoder(fileType, readType, null, digesting);
  }

  /** The encoded values one field has received in the record or group being assembled. */
  static final class FieldValues {
    private final Type readType;
    private final ByteSink values = new ByteSink(16);
    private int count;
    private long digest = EventDigest.FIELD_SEED;

    private FieldValues(Type readType) {
      this.readType = readType;
    }

    /** Counts one more value and returns the sink to encode it into. */
    private ByteSink nextValue() {
      count++;
      return values;
    }

    int count() {
      return count;
    }

    /** The field's {@link EventDigest#field} fingerprint, when its encoder is digesting. */
    long digest() {
      return digest;
    }

    private void digestValue(long value) {
      digest = EventDigest.field(digest, value);
    }

    /** The encoded values, without the field's framing; valid up to {@link #size}. */
    byte[] array() {
      return values.array();
    }

    int size() {
      return values.size();
    }

    /** Appends the field in its encoded form: the values framed by the field's repetition. */
    void writeTo(ByteSink out) {
      switch (readType.getRepetition()) {
        case REQUIRED:
          if (count == 0) {
            throw new IllegalStateException(
                "required field " + readType.getName() + " has no value");
          }
          break;
        case OPTIONAL:
          out.writeByte(count == 0 ? 0 : 1);
          break;
        case REPEATED:
          out.writeVarInt(count);
          break;
        default:
          throw new IllegalStateException("unknown repetition " + readType.getRepetition());
      }
      out.writeBytes(values.array(), 0, values.size());
    }

    private void clear() {
      values.reset();
      count = 0;
      digest = EventDigest.FIELD_SEED;
    }
  }

  /** Encodes the values of a group's fields; see {@link #recordEncoder}. */
  static final class GroupEncoder extends GroupConverter {
    private final FieldValues[] fields;
    private final Converter[] converters;
    // Where the group's values go once complete; null for the record itself.
    private final FieldValues parent;
    private final boolean digesting;

    private GroupEncoder(
        GroupType fileType, GroupType readType, FieldValues parent, boolean digesting) {
      this.parent = parent;
      this.digesting = digesting;
      fields = new FieldValues[fileType.getFieldCount()];
      converters = new Converter[fields.length];
      for (int i = 0; i < fields.length; i++) {
        Type fileField = fileType.getType(i);
        Type readField = readType.getType(i);
        fields[i] = new FieldValues(readField);
        converters[i] =
            fileField.isPrimitive()
                ? new ValueEncoder(fileField.asPrimitiveType(), fields[i], digesting)
                : new GroupEncoder(
                    fileField.asGroupType(), readField.asGroupType(), fields[i], digesting);
      }
    }

    FieldValues field(int index) {
      return fields[index];
    }

    /** Appends every field in its encoded form: the encoding of one value of this group. */
    void writeFieldsTo(ByteSink out) {
      for (FieldValues field : fields) {
        field.writeTo(out);
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return converters[fieldIndex];
    }

    @Override
    public void start() {
      for (FieldValues field : fields) {
        field.clear();
      }
    }

    @Override
    public void end() {
      if (parent != null) {
        writeFieldsTo(parent.nextValue());
        if (digesting) {
          parent.digestValue(EventDigest.groupValue(digest(fields)));
        }
      }
    }
  }

  /** The {@link EventDigest#group} fingerprint of {@code fields}, each at its index. */
  static long digest(FieldValues[] fields) {
    long group = EventDigest.GROUP_SEED;
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].count > 0) {
        group = EventDigest.group(group, i, fields[i].digest);
      }
    }
    return group;
  }

  /**
   * Encodes a primitive field's values. A dictionary's entries are encoded once, when the column
   * chunk's dictionary arrives, and a dictionary-encoded value is then a copy of its entry's bytes.
   */
  private static final class ValueEncoder extends PrimitiveConverter {
    private final PrimitiveTypeName typeName;
    private final FieldValues field;
    private final boolean digesting;
    private final ByteSink dictionaryEntries = new ByteSink(16);
    private final ByteSink digestScratch = new ByteSink(16);
    // Entry id's bytes in dictionaryEntries are [entryStarts[id], entryStarts[id + 1]).
    private int[] entryStarts;
    // Entry id's EventDigest, when digesting.
    private long[] entryDigests;

    ValueEncoder(PrimitiveType type, FieldValues field, boolean digesting) {
      this.typeName = type.getPrimitiveTypeName();
      this.field = field;
      this.digesting = digesting;
    }

    @Override
    public void addBoolean(boolean value) {
      field.nextValue().writeByte(value ? 1 : 0);
      if (digesting) {
        field.digestValue(EventDigest.ofLong(value ? 1 : 0));
      }
    }

    @Override
    public void addInt(int value) {
      field.nextValue().writeInt(value);
      if (digesting) {
        field.digestValue(EventDigest.ofLong(value));
      }
    }

    @Override
    public void addLong(long value) {
      field.nextValue().writeLong(value);
      if (digesting) {
        field.digestValue(EventDigest.ofLong(value));
      }
    }

    @Override
    public void addFloat(float value) {
      encodeFloat(value, field.nextValue());
      if (digesting) {
        field.digestValue(EventDigest.ofLong(Float.floatToRawIntBits(value)));
      }
    }

    @Override
    public void addDouble(double value) {
      encodeDouble(value, field.nextValue());
      if (digesting) {
        field.digestValue(EventDigest.ofLong(Double.doubleToRawLongBits(value)));
      }
    }

    @Override
    public void addBinary(Binary value) {
      encodeBinary(value, field.nextValue());
      if (digesting) {
        field.digestValue(EventDigest.ofBinary(value, digestScratch));
      }
    }

    @Override
    public boolean hasDictionarySupport() {
      return true;
    }

    @Override
    public void setDictionary(Dictionary dictionary) {
      dictionaryEntries.reset();
      entryStarts = new int[dictionary.getMaxId() + 2];
      entryDigests = digesting ? new long[dictionary.getMaxId() + 1] : null;
      for (int id = 0; id <= dictionary.getMaxId(); id++) {
        entryStarts[id] = dictionaryEntries.size();
        encodeEntry(dictionary, id, dictionaryEntries);
        if (digesting) {
          entryDigests[id] = digestEntry(dictionary, id);
        }
      }
      entryStarts[dictionary.getMaxId() + 1] = dictionaryEntries.size();
    }

    private long digestEntry(Dictionary dictionary, int id) {
      switch (typeName) {
        case INT32:
          return EventDigest.ofLong(dictionary.decodeToInt(id));
        case INT64:
          return EventDigest.ofLong(dictionary.decodeToLong(id));
        case FLOAT:
          return EventDigest.ofLong(Float.floatToRawIntBits(dictionary.decodeToFloat(id)));
        case DOUBLE:
          return EventDigest.ofLong(Double.doubleToRawLongBits(dictionary.decodeToDouble(id)));
        default:
          return EventDigest.ofBinary(dictionary.decodeToBinary(id), digestScratch);
      }
    }

    private void encodeEntry(Dictionary dictionary, int id, ByteSink out) {
      switch (typeName) {
        case INT32:
          out.writeInt(dictionary.decodeToInt(id));
          break;
        case INT64:
          out.writeLong(dictionary.decodeToLong(id));
          break;
        case FLOAT:
          encodeFloat(dictionary.decodeToFloat(id), out);
          break;
        case DOUBLE:
          encodeDouble(dictionary.decodeToDouble(id), out);
          break;
        case BINARY:
        case FIXED_LEN_BYTE_ARRAY:
        case INT96:
          encodeBinary(dictionary.decodeToBinary(id), out);
          break;
        default:
          throw new IllegalStateException("no dictionary for " + typeName);
      }
    }

    @Override
    public void addValueFromDictionary(int dictionaryId) {
      int start = entryStarts[dictionaryId];
      field
          .nextValue()
          .writeBytes(dictionaryEntries.array(), start, entryStarts[dictionaryId + 1] - start);
      if (digesting) {
        field.digestValue(entryDigests[dictionaryId]);
      }
    }

    private static void encodeFloat(float value, ByteSink out) {
      out.writeInt(Float.floatToRawIntBits(value));
    }

    private static void encodeDouble(double value, ByteSink out) {
      out.writeLong(Double.doubleToRawLongBits(value));
    }

    private void encodeBinary(Binary value, ByteSink out) {
      // BINARY is length-prefixed; FIXED_LEN_BYTE_ARRAY and INT96 have their type's length.
      if (typeName == PrimitiveTypeName.BINARY) {
        out.writeVarInt(value.length());
      }
      out.writeBinary(value);
    }
  }

  /**
   * Writers that replay the encoded fields of {@code type}, in order, into a {@link
   * RecordConsumer}. The path of every value is decided here, once per type rather than once per
   * value, and each kind of value is a small method of its own: the JIT compiles several small
   * methods much faster than one that holds every type's path.
   */
  public static FieldWriter[] fieldWriters(GroupType type) {
    FieldWriter[] writers = new FieldWriter[type.getFieldCount()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new FieldWriter(type.getType(i), i);
    }
    return writers;
  }

  /** Replays one encoded field into the open group of a {@link RecordConsumer}. */
  public static final class FieldWriter {
    private final String name;
    private final int index;
    private final Type.Repetition repetition;
    private final ValueWriter value;

    private FieldWriter(Type type, int index) {
      this.name = type.getName();
      this.index = index;
      this.repetition = type.getRepetition();
      this.value = valueWriter(type);
    }

    public void write(ByteSource in, RecordConsumer consumer) {
      int count;
      switch (repetition) {
        case REQUIRED:
          count = 1;
          break;
        case OPTIONAL:
          count = in.readByte();
          break;
        default:
          count = in.readVarInt();
          break;
      }
      if (count == 0) {
        return;
      }
      consumer.startField(name, index);
      for (int i = 0; i < count; i++) {
        value.write(in, consumer);
      }
      consumer.endField(name, index);
    }
  }

  @FunctionalInterface
  private interface ValueWriter {
    public void write(ByteSource in, RecordConsumer consumer);
  }

  private static ValueWriter valueWriter(Type type) {
    if (!type.isPrimitive()) {
      FieldWriter[] fields = fieldWriters(type.asGroupType());
      return (in, consumer) -> {
        consumer.startGroup();
        for (FieldWriter field : fields) {
          field.write(in, consumer);
        }
        consumer.endGroup();
      };
    }
    PrimitiveType primitive = type.asPrimitiveType();
    switch (primitive.getPrimitiveTypeName()) {
      case BOOLEAN:
        return (in, consumer) -> consumer.addBoolean(in.readByte() != 0);
      case INT32:
        return (in, consumer) -> consumer.addInteger(in.readInt());
      case INT64:
        return (in, consumer) -> consumer.addLong(in.readLong());
      case FLOAT:
        return (in, consumer) -> consumer.addFloat(Float.intBitsToFloat(in.readInt()));
      case DOUBLE:
        return (in, consumer) -> consumer.addDouble(Double.longBitsToDouble(in.readLong()));
      case INT96:
        return (in, consumer) -> consumer.addBinary(slice(in, 12));
      case FIXED_LEN_BYTE_ARRAY:
        int length = primitive.getTypeLength();
        return (in, consumer) -> consumer.addBinary(slice(in, length));
      case BINARY:
        return (in, consumer) -> consumer.addBinary(slice(in, in.readVarInt()));
      default:
        throw new IllegalStateException("unknown type " + primitive);
    }
  }

  private static Binary slice(ByteSource in, int length) {
    // "Reused": Parquet copies the bytes it keeps (dictionary, statistics) instead of pinning
    // the whole event array behind them.
    Binary value = Binary.fromReusedByteArray(in.array(), in.position(), length);
    in.skip(length);
    return value;
  }
}
