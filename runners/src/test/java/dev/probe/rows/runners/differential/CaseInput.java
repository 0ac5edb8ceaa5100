package dev.probe.rows.runners.differential;

import dev.probe.rows.testing.DuckDb;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;

/**
 * The input files of one {@link CaseSpec}: its schema and rows, drawn from the spec's seed, laid
 * out over files as the spec says and written by the spec's writer.
 */
final class CaseInput {
  private static final String[] ODD_KEY_NAMES = {"src addr", "ké(y)", "a.b", "q\"k", "Ключ"};
  private static final String[] ODD_SORT_NAMES = {"event time", "t'ime", "日時", "(ts)"};
  private static final String[] ODD_PAYLOAD_NAMES = {"p 0", "p.1", "p(2)", "Päyload", "p'4", "P\"5"};

  /** The largest bloom filter the parquet-java writers make, per column and row group. */
  private static final int BLOOM_FILTER_BYTES = 4096;

  final CaseSpec spec;
  final String keyColumn;
  final String sortColumn;
  /** Every column but the key, in file order. */
  final List<String> otherColumns = new ArrayList<>();
  final List<ColumnType> payloadTypes = new ArrayList<>();
  final MessageType schema;
  /** Rows of the input, each {@code [key, sort, payload...]}, nulls included. */
  final List<Object[]> rows = new ArrayList<>();
  /** The rows of each file, files in name order. */
  final List<List<Object[]>> files = new ArrayList<>();

  CaseInput(CaseSpec spec) {
    this.spec = spec;
    Random random = new Random(spec.seed);
    keyColumn = spec.oddNames ? pick(random, ODD_KEY_NAMES) : "src_addr";
    sortColumn = spec.oddNames ? pick(random, ODD_SORT_NAMES) : "event_time";
    List<Type> fields = new ArrayList<>();
    fields.add(spec.keyType.schema(keyColumn, repetition(random)));
    fields.add(spec.sortType.schema(sortColumn, repetition(random)));
    otherColumns.add(sortColumn);
    for (int i = 0; i < spec.payloadColumns; i++) {
      ColumnType type = pick(random, ColumnType.PAYLOADS.toArray(new ColumnType[0]));
      String name = spec.oddNames && i < ODD_PAYLOAD_NAMES.length ? ODD_PAYLOAD_NAMES[i] : "p" + i;
      payloadTypes.add(type);
      otherColumns.add(name);
      fields.add(type.schema(name, repetition(random)));
    }
    schema = new MessageType("event", fields);
    for (int i = 0; i < spec.rows; i++) {
      Object[] row = new Object[fields.size()];
      row[0] = maybeNull(random, fields.get(0), spec.keyType.draw(random, spec.keys));
      row[1] = maybeNull(random, fields.get(1), spec.sortType.draw(random, spec.sortValues));
      for (int c = 2; c < row.length; c++) {
        row[c] = maybeNull(random, fields.get(c), payloadTypes.get(c - 2).draw(random, 0));
      }
      rows.add(row);
    }
    layOut(random);
  }

  private Repetition repetition(Random random) {
    return spec.nullPercent > 0 && random.nextInt(4) != 0 ? Repetition.OPTIONAL : Repetition.REQUIRED;
  }

  private Object maybeNull(Random random, Type field, Object value) {
    boolean nullable = field.isRepetition(Repetition.OPTIONAL);
    return nullable && random.nextInt(100) < spec.nullPercent ? null : value;
  }

  private void layOut(Random random) {
    Comparator<Object[]> byKey = (a, b) -> compare(spec.keyType, a[0], b[0]);
    Comparator<Object[]> byKeyAndTime = byKey.thenComparing((a, b) -> compare(spec.sortType, a[1], b[1]));
    List<Object[]> ordered = new ArrayList<>(rows);
    List<List<Object[]>> filled = new ArrayList<>();
    for (int f = 0; f < spec.files; f++) {
      filled.add(new ArrayList<>());
    }
    switch (spec.layout) {
      case SHUFFLED:
        Collections.shuffle(ordered, random);
        split(random, ordered, filled);
        break;
      case SORTED:
        ordered.sort(byKeyAndTime);
        split(random, ordered, filled);
        break;
      case SORTED_BY_KEY_ONLY:
        Collections.shuffle(ordered, random);
        ordered.sort(byKey);
        split(random, ordered, filled);
        break;
      case NEARLY_SORTED:
        ordered.sort(byKeyAndTime);
        for (int swaps = ordered.size() / 20 + 1; swaps > 0 && ordered.size() > 1; swaps--) {
          int at = random.nextInt(ordered.size() - 1);
          Collections.swap(ordered, at, at + 1 + random.nextInt(Math.min(3, ordered.size() - at - 1)));
        }
        split(random, ordered, filled);
        break;
      case HASH_PARTITIONED_EACH_SORTED:
        for (Object[] row : ordered) {
          filled.get(Math.floorMod(java.util.Arrays.deepHashCode(new Object[] {row[0]}), spec.files)).add(row);
        }
        filled.forEach(file -> file.sort(byKeyAndTime));
        break;
      case HASH_PARTITIONED_EACH_SORTED_BY_KEY_ONLY:
        Collections.shuffle(ordered, random);
        for (Object[] row : ordered) {
          filled.get(Math.floorMod(java.util.Arrays.deepHashCode(new Object[] {row[0]}), spec.files)).add(row);
        }
        filled.forEach(file -> file.sort(byKey));
        break;
      case TIME_WINDOWS_EACH_SORTED:
        ordered.sort((a, b) -> compare(spec.sortType, a[1], b[1]));
        split(random, ordered, filled);
        filled.forEach(file -> file.sort(byKeyAndTime));
        break;
      case ROUND_ROBIN:
        for (int i = 0; i < ordered.size(); i++) {
          filled.get(i % spec.files).add(ordered.get(i));
        }
        break;
      default:
        throw new AssertionError(spec.layout);
    }
    for (int e = 0; e < spec.emptyFiles; e++) {
      filled.add(random.nextInt(filled.size() + 1), new ArrayList<>());
    }
    files.addAll(filled);
  }

  /** Cuts {@code ordered} into consecutive pieces of random sizes, one per file. */
  private static void split(Random random, List<Object[]> ordered, List<List<Object[]>> files) {
    List<Integer> cuts = new ArrayList<>();
    for (int f = 1; f < files.size(); f++) {
      cuts.add(random.nextInt(ordered.size() + 1));
    }
    Collections.sort(cuts);
    cuts.add(ordered.size());
    int from = 0;
    for (int f = 0; f < files.size(); f++) {
      files.get(f).addAll(ordered.subList(from, cuts.get(f)));
      from = cuts.get(f);
    }
  }

  /** The natural order of values of {@code type}, nulls first. */
  private static int compare(ColumnType type, Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    switch (type) {
      case UINT32:
        return Integer.compareUnsigned((Integer) a, (Integer) b);
      case UINT64:
        return Long.compareUnsigned((Long) a, (Long) b);
      case INT96_TIMESTAMP:
        {
          ByteBuffer x = ((Binary) a).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          ByteBuffer y = ((Binary) b).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          int byDay = Integer.compare(x.getInt(8), y.getInt(8));
          return byDay != 0 ? byDay : Long.compare(x.getLong(0), y.getLong(0));
        }
      case DECIMAL_FIXED:
      case DECIMAL_BINARY:
        return new BigInteger(((Binary) a).getBytes()).compareTo(new BigInteger(((Binary) b).getBytes()));
      default:
        if (a instanceof Integer) {
          return Integer.compare((Integer) a, (Integer) b);
        }
        if (a instanceof Long) {
          return Long.compare((Long) a, (Long) b);
        }
        return Binary.lexicographicCompare((Binary) a, (Binary) b);
    }
  }

  /** Writes the files into {@code dir} as {@code part-NNN.parquet}; returns their glob. */
  String write(Path dir) throws IOException {
    return write(
        dir,
        CompressionCodecName.valueOf(spec.codec.name()),
        spec.writer == CaseSpec.Writer.PARQUET_JAVA_V2 ? WriterVersion.PARQUET_2_0 : WriterVersion.PARQUET_1_0);
  }

  /**
   * Whether DuckDB, the judge, reads these files: it reads neither Hadoop's framed LZ4 nor
   * parquet-java's v2 pages of fixed-length byte arrays (DELTA_BYTE_ARRAY).
   */
  boolean judgeReadsThem() {
    return spec.writer == CaseSpec.Writer.DUCKDB
        || (spec.writer == CaseSpec.Writer.PARQUET_JAVA && spec.codec != CaseSpec.Codec.LZ4);
  }

  /** The same rows in the same files, row groups and pages, as v1 pages with no compression. */
  String writeForJudge(Path dir) throws IOException {
    return write(dir, CompressionCodecName.UNCOMPRESSED, WriterVersion.PARQUET_1_0);
  }

  private String write(Path dir, CompressionCodecName codec, WriterVersion version) throws IOException {
    Files.createDirectories(dir);
    for (int f = 0; f < files.size(); f++) {
      Path file = dir.resolve(String.format("part-%03d.parquet", f));
      if (spec.writer == CaseSpec.Writer.DUCKDB) {
        Path staging = dir.resolveSibling(dir.getFileName() + "-staging-" + f + ".parquet");
        writeWithParquetJava(staging, files.get(f), CompressionCodecName.UNCOMPRESSED, WriterVersion.PARQUET_1_0);
        copyWithDuckDb(staging, file, codec);
        Files.delete(staging);
      } else {
        writeWithParquetJava(file, files.get(f), codec, version);
      }
    }
    return dir.resolve("*.parquet").toString();
  }

  private void writeWithParquetJava(
      Path file, List<Object[]> fileRows, CompressionCodecName codec, WriterVersion version)
      throws IOException {
    boolean smallRowGroups = spec.rowGroupRows < fileRows.size();
    ExampleParquetWriter.Builder builder =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withConf(new Configuration(false))
            .withType(schema)
            .withCompressionCodec(codec)
            .withDictionaryEncoding(spec.dictionary)
            .withWriterVersion(version)
            .withPageRowCountLimit(Math.max(1, spec.pageRows))
            .withBloomFilterEnabled(spec.bloomFiltersAndChecksums)
            // Without a distinct-value count each filter takes the maximum, 1 MB by default, and
            // the writer holds every row group's filters until it closes: 300 one-row row groups
            // of 8 columns filled the test's heap. Small filters are still filters to read past.
            .withMaxBloomFilterBytes(BLOOM_FILTER_BYTES)
            .withPageWriteChecksumEnabled(spec.bloomFiltersAndChecksums);
    if (smallRowGroups) {
      // A row group ends at the first size check past its (tiny) size: every rowGroupRows rows.
      builder =
          builder
              .withRowGroupSize(1L)
              .withMinRowCountForPageSizeCheck(spec.rowGroupRows)
              .withMaxRowCountForPageSizeCheck(spec.rowGroupRows);
    }
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer = builder.build()) {
      for (Object[] row : fileRows) {
        Group group = groups.newGroup();
        for (int c = 0; c < row.length; c++) {
          if (row[c] != null) {
            typeOf(c).add(group, schema.getFieldName(c), row[c]);
          }
        }
        writer.write(group);
      }
    }
  }

  private void copyWithDuckDb(Path staging, Path file, CompressionCodecName codecName) throws IOException {
    String codec = codecName == CompressionCodecName.LZ4 || codecName == CompressionCodecName.LZ4_RAW ? "lz4" : codecName.name().toLowerCase();
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.execute("SET threads = 1");
      duckDb.execute(
          "COPY (SELECT * FROM read_parquet('"
              + staging
              + "')) TO '"
              + file
              + "' (FORMAT parquet, COMPRESSION "
              + codec
              + ", ROW_GROUP_SIZE "
              + Math.max(1, spec.rowGroupRows)
              + ")");
    } catch (java.sql.SQLException e) {
      throw new IOException("DuckDB could not write " + file + ": " + e.getMessage(), e);
    }
  }

  ColumnType typeOf(int column) {
    return column == 0 ? spec.keyType : column == 1 ? spec.sortType : payloadTypes.get(column - 2);
  }

  long rejectedRows() {
    return rows.stream().filter(row -> row[0] == null || row[1] == null).count();
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
