package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.InvalidInputException;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

class ProbeRowSchemaTest {
  private static MessageType schema(String sortType) {
    return MessageTypeParser.parseMessageType(
        "message m { optional binary src_addr (STRING); optional "
            + sortType.replaceFirst("^(\\w+)", "$1 t")
            + "; optional int32 x; }");
  }

  /** The sort value of a row whose sort column's reader hands its value over with {@code add}. */
  private static byte[] sortBytes(ProbeRowSchema schema, Consumer<PrimitiveConverter> add) {
    RowEncoder row = new RowEncoder(schema, schema.readSchema());
    GroupConverter record = row.getRootConverter();
    record.start();
    add.accept(record.getConverter(schema.readSchema().getFieldIndex("t")).asPrimitiveConverter());
    record.end();
    ByteSink out = new ByteSink(16);
    row.writeSortValue(out);
    return out.toByteArray();
  }

  /**
   * Unsigned byte order of the encoded values must be the values' order: SortValues relies on it.
   */
  private static void assertOrderPreserved(String sortType, long[] values) {
    ProbeRowSchema schema = ProbeRowSchema.of(schema(sortType), "src_addr", "t", List.of());
    byte[][] encoded = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      long value = values[i];
      encoded[i] =
          sortBytes(
              schema,
              sortType.startsWith("int32")
                  ? sort -> sort.addInt((int) value)
                  : sort -> sort.addLong(value));
    }
    for (int i = 0; i < values.length; i++) {
      for (int j = 0; j < values.length; j++) {
        int expected =
            sortType.contains("INTEGER(64,false)")
                ? Long.compareUnsigned(values[i], values[j])
                : Long.compare(values[i], values[j]);
        assertEquals(
            Integer.signum(expected),
            Integer.signum(Arrays.compareUnsigned(encoded[i], encoded[j])),
            sortType + ": " + values[i] + " vs " + values[j]);
      }
    }
  }

  private static long[] samples(long min, long max) {
    SplittableRandom random = new SplittableRandom(7);
    long[] values = new long[60];
    long[] edges = {min, max, 0, -1, 1, min + 1, max - 1};
    for (int i = 0; i < values.length; i++) {
      long value = i < edges.length ? edges[i] : random.nextLong();
      values[i] = Math.max(min, Math.min(max, i < edges.length ? value : value % (max / 2 + 1)));
    }
    return values;
  }

  @Test
  void signedTimesAndIntegersKeepTheirOrderIncludingBefore1970() {
    assertOrderPreserved(
        "int64 (TIMESTAMP(MICROS,false))", samples(Long.MIN_VALUE, Long.MAX_VALUE));
    assertOrderPreserved("int64 (TIMESTAMP(NANOS,true))", samples(Long.MIN_VALUE, Long.MAX_VALUE));
    assertOrderPreserved("int32 (DATE)", samples(Integer.MIN_VALUE, Integer.MAX_VALUE));
    assertOrderPreserved("int32", samples(Integer.MIN_VALUE, Integer.MAX_VALUE));
    assertOrderPreserved("int64 (DECIMAL(18,3))", samples(Long.MIN_VALUE, Long.MAX_VALUE));
  }

  @Test
  void unsignedIntegersKeepTheirOrder() {
    assertOrderPreserved("int64 (INTEGER(64,false))", samples(Long.MIN_VALUE, Long.MAX_VALUE));
  }

  /**
   * Byte-array decimals have any length, even with redundant sign bytes: sign-extended to their
   * precision's width, their bytes keep the values' order; a value too wide for it is refused.
   */
  @Test
  void byteArrayDecimalsKeepTheirOrder() {
    ProbeRowSchema schema =
        ProbeRowSchema.of(
            Types.buildMessage()
                .optional(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType())
                .named("src_addr")
                .optional(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.decimalType(3, 20))
                .named("t")
                .named("m"),
            "src_addr",
            "t",
            List.of());
    Random random = new Random(12);
    BigInteger max = BigInteger.TEN.pow(20).subtract(BigInteger.ONE);
    List<BigInteger> values =
        new ArrayList<>(
            List.of(max, max.negate(), BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate()));
    values.add(BigInteger.valueOf(-128));
    values.add(BigInteger.valueOf(127));
    values.add(BigInteger.valueOf(128));
    while (values.size() < 60) {
      BigInteger magnitude = new BigInteger(1 + random.nextInt(66), random);
      values.add(random.nextBoolean() ? magnitude : magnitude.negate());
    }
    byte[][] encoded = new byte[values.size()][];
    for (int i = 0; i < values.size(); i++) {
      byte[] minimal = values.get(i).toByteArray();
      // Every third value with two redundant sign bytes in front, as some writers leave them.
      byte[] bytes = minimal;
      if (i % 3 == 0) {
        bytes = new byte[minimal.length + 2];
        Arrays.fill(bytes, (byte) (values.get(i).signum() < 0 ? 0xFF : 0));
        System.arraycopy(minimal, 0, bytes, 2, minimal.length);
      }
      byte[] written = bytes;
      encoded[i] = sortBytes(schema, sort -> sort.addBinary(Binary.fromConstantByteArray(written)));
    }
    assertBytesOrderLikeValues(values, encoded);
    byte[] tooWide = BigInteger.TWO.pow(80).toByteArray();
    assertThrows(
        InvalidInputException.class,
        () -> sortBytes(schema, sort -> sort.addBinary(Binary.fromConstantByteArray(tooWide))));
  }

  /** Unsigned byte order of {@code encoded[i]} is the order of {@code values.get(i)}. */
  private static void assertBytesOrderLikeValues(List<BigInteger> values, byte[][] encoded) {
    for (int i = 0; i < values.size(); i++) {
      for (int j = 0; j < values.size(); j++) {
        assertEquals(
            Integer.signum(values.get(i).compareTo(values.get(j))),
            Integer.signum(Arrays.compareUnsigned(encoded[i], encoded[j])),
            values.get(i) + " vs " + values.get(j));
      }
    }
  }

  /** Spark and Arrow write wide decimals as big-endian two's complement of a fixed width. */
  @Test
  void fixedLengthDecimalsKeepTheirOrder() {
    int width = 9;
    ProbeRowSchema schema =
        ProbeRowSchema.of(
            Types.buildMessage()
                .optional(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType())
                .named("src_addr")
                .optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                .length(width)
                .as(LogicalTypeAnnotation.decimalType(2, 20))
                .named("t")
                .named("m"),
            "src_addr",
            "t",
            List.of());
    Random random = new Random(11);
    List<BigInteger> values = new ArrayList<>();
    BigInteger max = BigInteger.TWO.pow(8 * width - 1).subtract(BigInteger.ONE);
    values.addAll(List.of(max, max.negate().subtract(BigInteger.ONE), BigInteger.ZERO));
    values.addAll(List.of(BigInteger.ONE, BigInteger.ONE.negate(), BigInteger.valueOf(-256)));
    while (values.size() < 60) {
      BigInteger magnitude = new BigInteger(8 * width - 1 - random.nextInt(60), random);
      values.add(random.nextBoolean() ? magnitude : magnitude.negate());
    }
    byte[][] encoded = new byte[values.size()][];
    for (int i = 0; i < values.size(); i++) {
      byte[] bytes = new byte[width];
      byte[] minimal = values.get(i).toByteArray();
      Arrays.fill(bytes, (byte) (values.get(i).signum() < 0 ? 0xFF : 0));
      System.arraycopy(minimal, 0, bytes, width - minimal.length, minimal.length);
      encoded[i] = sortBytes(schema, sort -> sort.addBinary(Binary.fromConstantByteArray(bytes)));
    }
    assertBytesOrderLikeValues(values, encoded);
  }

  @Test
  void int96TimestampsOrderByDayThenNanos() {
    ProbeRowSchema schema = ProbeRowSchema.of(schema("int96"), "src_addr", "t", List.of());
    // (julian day, nanos of day), ascending; 2440588 is 1970-01-01.
    long[][] instants = {
      {2440000, 5}, {2440587, 86_399_999_999_999L}, {2440588, 0}, {2440588, 1}, {2460000, 0}
    };
    byte[] previous = null;
    for (long[] instant : instants) {
      byte[] int96 = new byte[12];
      for (int i = 0; i < 8; i++) {
        int96[i] = (byte) (instant[1] >>> (8 * i));
      }
      for (int i = 0; i < 4; i++) {
        int96[8 + i] = (byte) (instant[0] >>> (8 * i));
      }
      byte[] encoded =
          sortBytes(schema, sort -> sort.addBinary(Binary.fromConstantByteArray(int96)));
      if (previous != null) {
        assertTrue(Arrays.compareUnsigned(previous, encoded) < 0, Arrays.toString(instant));
      }
      previous = encoded;
    }
  }

  @Test
  void unusableColumnsAreClearErrors() {
    MessageType strings =
        MessageTypeParser.parseMessageType(
            "message m { optional binary src_addr (STRING); optional binary t (STRING);"
                + " optional double d; optional int32 chunk; }");
    assertEquals(
        "input column 'chunk' has the name of an output column (chunk, event_count, events); rename"
            + " it in the input",
        assertThrows(
                InvalidInputException.class,
                () -> ProbeRowSchema.of(strings, "src_addr", "t", List.of()))
            .getMessage());
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { optional binary src_addr (STRING); optional binary t (STRING); optional"
                + " double d; }");
    assertTrue(
        assertThrows(
                InvalidInputException.class,
                () -> ProbeRowSchema.of(schema, "src_addr", "t", List.of()))
            .getMessage()
            .startsWith(
                "sort column 't' has type BINARY (STRING); the sort column must be an integer"));
    assertTrue(
        assertThrows(
                InvalidInputException.class,
                () -> ProbeRowSchema.of(schema, "d", "src_addr", List.of()))
            .getMessage()
            .startsWith(
                "key column 'd' has type DOUBLE; a key must be a string, binary or integer"
                    + " column"));
    assertEquals(
        "sort column 'time' not found; the files have: src_addr, t, d",
        assertThrows(
                InvalidInputException.class,
                () -> ProbeRowSchema.of(schema, "src_addr", "time", List.of()))
            .getMessage());
  }

  @Test
  void selectedColumnsNarrowTheEventsAndTheRead() {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { optional binary src_addr (STRING); optional int64 t; optional int32 a;"
                + " optional int32 b; }");
    ProbeRowSchema selected = ProbeRowSchema.of(schema, "src_addr", "t", List.of("b"));
    assertEquals(List.of("b"), selected.eventColumns());
    assertEquals(3, selected.readSchema().getFieldCount());
    assertTrue(
        selected.outputSchema().toString().contains("optional int32 b"),
        selected.outputSchema().toString());
    assertTrue(
        !selected.outputSchema().toString().contains(" a;"), selected.outputSchema().toString());
  }

  /**
   * The schema reaches the workers exactly, whatever names and types the files have: an empty root
   * name, names that Parquet's schema text cannot hold, legacy and fixed-length types, field ids.
   */
  @Test
  void survivesSerializationWithAnyNames() {
    MessageType schema =
        Types.buildMessage()
            .optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("src addr \"(quoted)\" é.\u0000")
            .optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
            .length(9)
            .as(LogicalTypeAnnotation.decimalType(2, 20))
            .id(7)
            .named("T")
            .optional(PrimitiveTypeName.INT96)
            .named("t")
            .required(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.intType(8, false))
            .named("")
            .optionalGroup()
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.NANOS))
            .named("a;b")
            .named("{group}")
            .named("");
    ProbeRowSchema original = ProbeRowSchema.of(schema, "src addr \"(quoted)\" é.\u0000", "t", List.of());
    ProbeRowSchema copy = SerializableUtils.clone(original);
    assertEquals(schema, copy.readSchema());
    assertEquals(original.outputSchema(), copy.outputSchema());
    assertEquals(original.rejectsSchema(), copy.rejectsSchema());
  }
}
