package dev.probe.rows.transforms;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A compact, schema-driven binary form of Parquet values, so an event crosses the shuffle as one
 * byte array and is written back with exactly its original physical type.
 *
 * <p>Per field, in schema order: a required field is its value; an optional field is a presence
 * byte then the value; a repeated field is a varint count then the values. Values are fixed-width
 * big-endian numbers, length-prefixed binaries, raw fixed-length bytes, or nested groups.
 */
final class EventCodec {
  private EventCodec() {}

  static void encodeField(Type type, Group group, int index, ByteSink out) {
    int count = group.getFieldRepetitionCount(index);
    switch (type.getRepetition()) {
      case REQUIRED:
        if (count == 0) {
          throw new IllegalStateException("required field " + type.getName() + " has no value");
        }
        encodeValue(type, group, index, 0, out);
        break;
      case OPTIONAL:
        out.writeByte(count == 0 ? 0 : 1);
        if (count != 0) {
          encodeValue(type, group, index, 0, out);
        }
        break;
      case REPEATED:
        out.writeVarInt(count);
        for (int i = 0; i < count; i++) {
          encodeValue(type, group, index, i, out);
        }
        break;
      default:
        throw new IllegalStateException("unknown repetition " + type.getRepetition());
    }
  }

  private static void encodeValue(Type type, Group group, int index, int position, ByteSink out) {
    if (!type.isPrimitive()) {
      GroupType groupType = type.asGroupType();
      Group child = group.getGroup(index, position);
      for (int i = 0; i < groupType.getFieldCount(); i++) {
        encodeField(groupType.getType(i), child, i, out);
      }
      return;
    }
    PrimitiveType primitive = type.asPrimitiveType();
    switch (primitive.getPrimitiveTypeName()) {
      case BOOLEAN:
        out.writeByte(group.getBoolean(index, position) ? 1 : 0);
        break;
      case INT32:
        out.writeInt(group.getInteger(index, position));
        break;
      case INT64:
        out.writeLong(group.getLong(index, position));
        break;
      case FLOAT:
        out.writeInt(Float.floatToRawIntBits(group.getFloat(index, position)));
        break;
      case DOUBLE:
        out.writeLong(Double.doubleToRawLongBits(group.getDouble(index, position)));
        break;
      case INT96:
        out.writeBytes(group.getInt96(index, position).getBytesUnsafe());
        break;
      case FIXED_LEN_BYTE_ARRAY:
        out.writeBytes(group.getBinary(index, position).getBytesUnsafe());
        break;
      case BINARY:
        byte[] bytes = group.getBinary(index, position).getBytesUnsafe();
        out.writeVarInt(bytes.length);
        out.writeBytes(bytes);
        break;
      default:
        throw new IllegalStateException("unknown type " + primitive);
    }
  }

  /** Replays one encoded field into {@code consumer} at field {@code index} of the open group. */
  static void writeField(Type type, int index, ByteSource in, RecordConsumer consumer) {
    int count;
    switch (type.getRepetition()) {
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
    consumer.startField(type.getName(), index);
    for (int i = 0; i < count; i++) {
      writeValue(type, in, consumer);
    }
    consumer.endField(type.getName(), index);
  }

  private static void writeValue(Type type, ByteSource in, RecordConsumer consumer) {
    if (!type.isPrimitive()) {
      GroupType groupType = type.asGroupType();
      consumer.startGroup();
      for (int i = 0; i < groupType.getFieldCount(); i++) {
        writeField(groupType.getType(i), i, in, consumer);
      }
      consumer.endGroup();
      return;
    }
    PrimitiveType primitive = type.asPrimitiveType();
    switch (primitive.getPrimitiveTypeName()) {
      case BOOLEAN:
        consumer.addBoolean(in.readByte() != 0);
        break;
      case INT32:
        consumer.addInteger(in.readInt());
        break;
      case INT64:
        consumer.addLong(in.readLong());
        break;
      case FLOAT:
        consumer.addFloat(Float.intBitsToFloat(in.readInt()));
        break;
      case DOUBLE:
        consumer.addDouble(Double.longBitsToDouble(in.readLong()));
        break;
      case INT96:
        consumer.addBinary(slice(in, 12));
        break;
      case FIXED_LEN_BYTE_ARRAY:
        consumer.addBinary(slice(in, primitive.getTypeLength()));
        break;
      case BINARY:
        consumer.addBinary(slice(in, in.readVarInt()));
        break;
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
