package dev.probe.rows.pipeline.diagnose;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * A key's encoded bytes (big-endian integers, raw binary) back as a value a person recognises: a
 * string for text columns, a number for integer columns, hex for other binary.
 */
final class KeyFormat {
  private KeyFormat() {}

  /** A String or a Number, ready for JSON. */
  static Object value(byte[] key, PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case INT32:
        int intValue = ByteBuffer.wrap(key).getInt();
        return integer(
            isUnsigned(annotation) ? Integer.toUnsignedLong(intValue) : intValue, annotation);
      case INT64:
        long longValue = ByteBuffer.wrap(key).getLong();
        return isUnsigned(annotation)
            ? new BigInteger(Long.toUnsignedString(longValue))
            : integer(longValue, annotation);
      default:
        return isText(annotation) ? new String(key, StandardCharsets.UTF_8) : hex(key);
    }
  }

  private static Number integer(long value, LogicalTypeAnnotation annotation) {
    if (annotation instanceof DecimalLogicalTypeAnnotation) {
      return BigDecimal.valueOf(value, ((DecimalLogicalTypeAnnotation) annotation).getScale());
    }
    return value;
  }

  private static boolean isUnsigned(LogicalTypeAnnotation annotation) {
    return annotation instanceof IntLogicalTypeAnnotation
        && !((IntLogicalTypeAnnotation) annotation).isSigned();
  }

  private static boolean isText(LogicalTypeAnnotation annotation) {
    return annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
  }

  private static String hex(byte[] bytes) {
    StringBuilder hex = new StringBuilder("0x");
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return hex.toString();
  }
}
