package dev.probe.rows.runners.differential;

import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS;
import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MILLIS;
import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.NANOS;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT96;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.OriginalType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * A Parquet column type the differential tests generate: how its schema node is built and how a
 * random value of it is drawn and added to a parquet-java {@link Group}. Ranges stay where DuckDB,
 * the judge, reads values exactly (timestamps it can convert to microseconds, INT96 at microsecond
 * precision, valid UTF-8 in strings).
 */
enum ColumnType {
  BOOLEAN_PLAIN(true, false, false),
  INT8(true, true, true),
  UINT8(true, true, true),
  INT16(true, true, true),
  UINT16(true, true, true),
  INT32_PLAIN(true, true, true),
  UINT32(true, true, true),
  INT64_PLAIN(true, true, true),
  UINT64(true, true, true),
  DATE(true, false, true),
  TIME_MILLIS(true, false, true),
  TIME_MICROS(true, false, true),
  TIME_NANOS(true, false, true),
  TIMESTAMP_MILLIS(true, false, true),
  TIMESTAMP_MICROS(true, false, true),
  TIMESTAMP_MICROS_UTC(true, false, true),
  TIMESTAMP_NANOS(true, false, true),
  INT96_TIMESTAMP(true, false, true),
  DECIMAL_INT32(true, true, true),
  DECIMAL_INT64(true, true, true),
  DECIMAL_FIXED(true, true, true),
  DECIMAL_BINARY(true, true, true),
  FLOAT_PLAIN(true, false, false),
  DOUBLE_PLAIN(true, false, false),
  STRING(true, true, false),
  ENUM(true, false, false),
  BINARY_PLAIN(true, true, false),
  FIXED_PLAIN(true, true, false),
  UUID(true, false, false),
  LEGACY_UTF8(true, true, false),
  LEGACY_INTERVAL(true, false, false),
  STRUCT(true, false, false),
  LIST(true, false, false),
  MAP(true, false, false);

  final boolean payload;
  final boolean key;
  final boolean sort;

  ColumnType(boolean payload, boolean key, boolean sort) {
    this.payload = payload;
    this.key = key;
    this.sort = sort;
  }

  static final List<ColumnType> KEYS =
      Arrays.stream(values()).filter(t -> t.key).collect(java.util.stream.Collectors.toList());
  static final List<ColumnType> SORTS =
      Arrays.stream(values()).filter(t -> t.sort).collect(java.util.stream.Collectors.toList());
  static final List<ColumnType> PAYLOADS =
      Arrays.stream(values()).filter(t -> t.payload).collect(java.util.stream.Collectors.toList());

  Type schema(String name, Repetition repetition) {
    switch (this) {
      case BOOLEAN_PLAIN:
        return Types.primitive(BOOLEAN, repetition).named(name);
      case INT8:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.intType(8, true)).named(name);
      case UINT8:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.intType(8, false)).named(name);
      case INT16:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.intType(16, true)).named(name);
      case UINT16:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.intType(16, false)).named(name);
      case INT32_PLAIN:
        return Types.primitive(INT32, repetition).named(name);
      case UINT32:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.intType(32, false)).named(name);
      case INT64_PLAIN:
        return Types.primitive(INT64, repetition).named(name);
      case UINT64:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.intType(64, false)).named(name);
      case DATE:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.dateType()).named(name);
      case TIME_MILLIS:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.timeType(false, MILLIS)).named(name);
      case TIME_MICROS:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.timeType(false, MICROS)).named(name);
      case TIME_NANOS:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.timeType(false, NANOS)).named(name);
      case TIMESTAMP_MILLIS:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.timestampType(false, MILLIS)).named(name);
      case TIMESTAMP_MICROS:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.timestampType(false, MICROS)).named(name);
      case TIMESTAMP_MICROS_UTC:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.timestampType(true, MICROS)).named(name);
      case TIMESTAMP_NANOS:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.timestampType(false, NANOS)).named(name);
      case INT96_TIMESTAMP:
        return Types.primitive(INT96, repetition).named(name);
      case DECIMAL_INT32:
        return Types.primitive(INT32, repetition).as(LogicalTypeAnnotation.decimalType(2, 9)).named(name);
      case DECIMAL_INT64:
        return Types.primitive(INT64, repetition).as(LogicalTypeAnnotation.decimalType(4, 18)).named(name);
      case DECIMAL_FIXED:
        return Types.primitive(FIXED_LEN_BYTE_ARRAY, repetition)
            .length(6)
            .as(LogicalTypeAnnotation.decimalType(3, 14))
            .named(name);
      case DECIMAL_BINARY:
        return Types.primitive(BINARY, repetition).as(LogicalTypeAnnotation.decimalType(3, 20)).named(name);
      case FLOAT_PLAIN:
        return Types.primitive(FLOAT, repetition).named(name);
      case DOUBLE_PLAIN:
        return Types.primitive(DOUBLE, repetition).named(name);
      case STRING:
        return Types.primitive(BINARY, repetition).as(LogicalTypeAnnotation.stringType()).named(name);
      case ENUM:
        return Types.primitive(BINARY, repetition).as(LogicalTypeAnnotation.enumType()).named(name);
      case BINARY_PLAIN:
        return Types.primitive(BINARY, repetition).named(name);
      case FIXED_PLAIN:
        return Types.primitive(FIXED_LEN_BYTE_ARRAY, repetition).length(5).named(name);
      case UUID:
        return Types.primitive(FIXED_LEN_BYTE_ARRAY, repetition)
            .length(16)
            .as(LogicalTypeAnnotation.uuidType())
            .named(name);
      case LEGACY_UTF8:
        return Types.primitive(BINARY, repetition).as(OriginalType.UTF8).named(name);
      case LEGACY_INTERVAL:
        return Types.primitive(FIXED_LEN_BYTE_ARRAY, repetition)
            .length(12)
            .as(OriginalType.INTERVAL)
            .named(name);
      case STRUCT:
        return Types.buildGroup(repetition)
            .optional(INT32)
            .named("a")
            .optional(BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("b")
            .named(name);
      case LIST:
        return Types.list(repetition).optionalElement(INT64).named(name);
      case MAP:
        return Types.map(repetition)
            .key(Types.required(BINARY).as(LogicalTypeAnnotation.stringType()).named("key"))
            .optionalValue(INT32)
            .named(name);
      default:
        throw new AssertionError(this);
    }
  }

  /** A random value; {@code ties} > 0 draws it from that many distinct values only. */
  Object draw(Random random, int ties) {
    if (ties > 0) {
      return draw(new Random(random.nextInt(ties) * 7919L + ordinal()), 0);
    }
    switch (this) {
      case BOOLEAN_PLAIN:
        return random.nextBoolean();
      case INT8:
        return random.nextInt(256) - 128;
      case UINT8:
        return random.nextInt(256);
      case INT16:
        return random.nextInt(65536) - 32768;
      case UINT16:
        return random.nextInt(65536);
      case INT32_PLAIN:
      case UINT32:
        return extremeOr(random, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0}, random.nextInt());
      case INT64_PLAIN:
      case UINT64:
        return extremeOr(random, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0}, random.nextLong());
      case DATE:
        return random.nextInt(2_000_000) - 1_000_000;
      case TIME_MILLIS:
        return random.nextInt(86_400_000);
      case TIME_MICROS:
        return (long) (random.nextDouble() * 86_400_000_000L);
      case TIME_NANOS:
        return (long) (random.nextDouble() * 86_400_000_000_000L);
      case TIMESTAMP_MILLIS:
        return spread(random, 4_000_000_000_000_000L);
      case TIMESTAMP_MICROS:
      case TIMESTAMP_MICROS_UTC:
        return spread(random, 4_000_000_000_000_000_000L);
      case TIMESTAMP_NANOS:
        return spread(random, 9_000_000_000_000_000_000L);
      case INT96_TIMESTAMP:
        {
          // Julian day 2440588 is 1970-01-01; DuckDB reads INT96 at microsecond precision.
          int day = 2_440_588 + random.nextInt(200_000) - 100_000;
          long nanos = (long) (random.nextDouble() * 86_400_000_000L) * 1000;
          return Binary.fromConstantByteArray(
              ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(nanos).putInt(day).array());
        }
      case DECIMAL_INT32:
        return random.nextInt(1_999_999_999) - 999_999_999;
      case DECIMAL_INT64:
        return spread(random, 999_999_999_999_999_999L);
      case DECIMAL_FIXED:
        return Binary.fromConstantByteArray(twosComplement(new BigInteger(46, random).subtract(BigInteger.ONE.shiftLeft(45)), 6));
      case DECIMAL_BINARY:
        {
          BigInteger value = new BigInteger(random.nextInt(66) + 1, random);
          return Binary.fromConstantByteArray((random.nextBoolean() ? value.negate() : value).toByteArray());
        }
      case FLOAT_PLAIN:
        return random.nextInt(8) == 0
            ? new float[] {Float.NaN, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -0.0f}[random.nextInt(4)]
            : (float) random.nextGaussian() * 1000;
      case DOUBLE_PLAIN:
        return random.nextInt(8) == 0
            ? new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, -1e300}[random.nextInt(4)]
            : random.nextGaussian() * 1e6;
      case STRING:
      case LEGACY_UTF8:
        return Binary.fromString(text(random));
      case ENUM:
        return Binary.fromString(new String[] {"TCP", "UDP", "ICMP", "ICMPv6"}[random.nextInt(4)]);
      case BINARY_PLAIN:
        return Binary.fromConstantByteArray(bytes(random, random.nextInt(9)));
      case FIXED_PLAIN:
        return Binary.fromConstantByteArray(bytes(random, 5));
      case UUID:
        return Binary.fromConstantByteArray(bytes(random, 16));
      case LEGACY_INTERVAL:
        return Binary.fromConstantByteArray(
            ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(random.nextInt(100))
                .putInt(random.nextInt(400))
                .putInt(random.nextInt(86_400_000))
                .array());
      case STRUCT:
        return new Object[] {
          random.nextInt(4) == 0 ? null : random.nextInt(),
          random.nextInt(4) == 0 ? null : Binary.fromString(text(random))
        };
      case LIST:
        {
          Long[] elements = new Long[random.nextInt(4)];
          for (int i = 0; i < elements.length; i++) {
            elements[i] = random.nextInt(5) == 0 ? null : random.nextLong() >> random.nextInt(63);
          }
          return elements;
        }
      case MAP:
        {
          int size = random.nextInt(3);
          Object[][] entries = new Object[size][];
          for (int i = 0; i < size; i++) {
            entries[i] =
                new Object[] {"k" + i + text(random), random.nextInt(4) == 0 ? null : random.nextInt(1000)};
          }
          return entries;
        }
      default:
        throw new AssertionError(this);
    }
  }

  /** Adds {@code value} (not null) as field {@code name} of {@code group}. */
  void add(Group group, String name, Object value) {
    switch (this) {
      case BOOLEAN_PLAIN:
        group.add(name, (Boolean) value);
        return;
      case FLOAT_PLAIN:
        group.add(name, (Float) value);
        return;
      case DOUBLE_PLAIN:
        group.add(name, (Double) value);
        return;
      case STRUCT:
        {
          Object[] fields = (Object[]) value;
          Group struct = group.addGroup(name);
          if (fields[0] != null) {
            struct.add("a", (Integer) fields[0]);
          }
          if (fields[1] != null) {
            struct.add("b", (Binary) fields[1]);
          }
          return;
        }
      case LIST:
        {
          Group list = group.addGroup(name);
          for (Long element : (Long[]) value) {
            Group entry = list.addGroup("list");
            if (element != null) {
              entry.add("element", element);
            }
          }
          return;
        }
      case MAP:
        {
          Group map = group.addGroup(name);
          for (Object[] entry : (Object[][]) value) {
            Group keyValue = map.addGroup("key_value");
            keyValue.add("key", (String) entry[0]);
            if (entry[1] != null) {
              keyValue.add("value", (Integer) entry[1]);
            }
          }
          return;
        }
      default:
        if (value instanceof Integer) {
          group.add(name, (Integer) value);
        } else if (value instanceof Long) {
          group.add(name, (Long) value);
        } else {
          group.add(name, (Binary) value);
        }
    }
  }

  /** The physical type of a primitive column, for orderings the generator needs. */
  PrimitiveTypeName physical() {
    Type type = schema("x", Repetition.OPTIONAL);
    return type.isPrimitive() ? type.asPrimitiveType().getPrimitiveTypeName() : null;
  }

  boolean isGroup() {
    return schema("x", Repetition.OPTIONAL) instanceof GroupType;
  }

  private static int extremeOr(Random random, int[] extremes, int otherwise) {
    return random.nextInt(10) == 0 ? extremes[random.nextInt(extremes.length)] : otherwise;
  }

  private static long extremeOr(Random random, long[] extremes, long otherwise) {
    return random.nextInt(10) == 0 ? extremes[random.nextInt(extremes.length)] : otherwise;
  }

  /** A value in [-bound, bound], often small, sometimes at either end. */
  private static long spread(Random random, long bound) {
    switch (random.nextInt(6)) {
      case 0:
        return random.nextBoolean() ? bound : -bound;
      case 1:
        return random.nextInt(2001) - 1000;
      default:
        return (long) ((random.nextDouble() * 2 - 1) * bound);
    }
  }

  private static byte[] twosComplement(BigInteger value, int length) {
    byte[] minimal = value.toByteArray();
    byte[] fixed = new byte[length];
    byte fill = (byte) (value.signum() < 0 ? 0xFF : 0);
    Arrays.fill(fixed, fill);
    System.arraycopy(minimal, 0, fixed, length - minimal.length, minimal.length);
    return fixed;
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      // Zero bytes and 0xFF often: the event key escapes them.
      int pick = random.nextInt(4);
      bytes[i] = pick == 0 ? 0 : pick == 1 ? (byte) 0xFF : (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static final String[] PIECES = {
    "a", "b", "ab", "", "ä", "日本", "🙂", " ", "'", "\"", "\0", "z", "10.0.0.1", "::1"
  };

  static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int pieces = random.nextInt(4);
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  static String utf8(Binary binary) {
    return new String(binary.getBytes(), StandardCharsets.UTF_8);
  }
}
