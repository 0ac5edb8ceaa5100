package dev.probe.rows.runners.differential;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one differential case varies, as values a property-based tester can shrink: the sizes
 * and choices here are drawn (and shrunk) one by one; what is left to chance (the payload types,
 * every value) comes from {@link #seed}. {@link #toString} prints one line that {@link #parse}
 * reads back, so a failing case is kept as a line of {@code regressions.txt}.
 */
final class CaseSpec {
  /** How rows are spread over files and ordered inside them. */
  enum Layout {
    SHUFFLED,
    SORTED,
    SORTED_BY_KEY_ONLY,
    NEARLY_SORTED,
    HASH_PARTITIONED_EACH_SORTED,
    TIME_WINDOWS_EACH_SORTED,
    ROUND_ROBIN,
    /** Keys dealt to files by hash, each file sorted by key alone: its times go back. */
    HASH_PARTITIONED_EACH_SORTED_BY_KEY_ONLY
  }

  /** Who writes the input files. */
  enum Writer {
    PARQUET_JAVA,
    PARQUET_JAVA_V2,
    DUCKDB
  }

  enum Codec {
    UNCOMPRESSED,
    SNAPPY,
    GZIP,
    ZSTD,
    LZ4_RAW,
    LZ4
  }

  enum Runner {
    DirectRunner,
    FlinkRunner
  }

  long seed;
  int rows;
  int keys;
  /** Distinct sort values drawn from, or 0 for the whole range. */
  int sortValues;
  int payloadColumns;
  int files;
  int emptyFiles;
  int rowGroupRows;
  int pageRows;
  int nullPercent;
  ColumnType keyType;
  ColumnType sortType;
  Layout layout;
  Writer writer;
  Codec codec;
  boolean dictionary;
  boolean bloomFiltersAndChecksums;
  boolean oddNames;
  boolean assumeOrdered;
  int numShards;
  int parallelism;
  int maxEventsPerRow;
  boolean columnsSubset;
  boolean tinySortMemory;
  Runner runner;

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> field : fields().entrySet()) {
      parts.add(field.getKey() + "=" + field.getValue());
    }
    return String.join(" ", parts);
  }

  private Map<String, Object> fields() {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field field : CaseSpec.class.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        try {
          values.put(field.getName(), field.get(this));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return values;
  }

  /** Reads a line printed by {@link #toString}; fields it lacks keep their defaults. */
  static CaseSpec parse(String line) {
    CaseSpec spec = defaults();
    for (String part : line.trim().split("\\s+")) {
      int equals = part.indexOf('=');
      String name = part.substring(0, equals);
      String value = part.substring(equals + 1);
      try {
        Field field = CaseSpec.class.getDeclaredField(name);
        Class<?> type = field.getType();
        if (type == long.class) {
          field.setLong(spec, Long.parseLong(value));
        } else if (type == int.class) {
          field.setInt(spec, Integer.parseInt(value));
        } else if (type == boolean.class) {
          field.setBoolean(spec, Boolean.parseBoolean(value));
        } else {
          field.set(spec, enumValue(type, value));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("bad case field '" + part + "' in: " + line, e);
      }
    }
    return spec;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String value) {
    return Enum.valueOf((Class<? extends Enum>) type, value);
  }

  static CaseSpec defaults() {
    CaseSpec spec = new CaseSpec();
    spec.rows = 20;
    spec.keys = 4;
    spec.files = 1;
    spec.rowGroupRows = 1000;
    spec.pageRows = 1000;
    spec.keyType = ColumnType.STRING;
    spec.sortType = ColumnType.INT64_PLAIN;
    spec.layout = Layout.SHUFFLED;
    spec.writer = Writer.PARQUET_JAVA;
    spec.codec = Codec.UNCOMPRESSED;
    spec.assumeOrdered = true;
    spec.parallelism = 1;
    spec.runner = Runner.DirectRunner;
    return spec;
  }
}
