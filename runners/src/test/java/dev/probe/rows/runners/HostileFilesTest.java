package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.testing.DuckDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files as real writers make them, and as disks and networks damage them: names Parquet's schema
 * text cannot hold, an empty schema root name, a fixed-length decimal sort column, a truncated file,
 * bytes flipped at random. Each run ends with DuckDB's answer (exit 0) or one line (exit 3).
 */
class HostileFilesTest {
  private static final String KEY = "src addr \"(q)\"";
  private static final String SORT = "event.time é";
  private static final int WIDTH = 9;

  @TempDir Path temp;

  /** Names with spaces, quotes, parentheses, dots and non-ASCII, under an empty root name. */
  private static final MessageType SCHEMA =
      Types.buildMessage()
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named(KEY)
          .optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
          .length(WIDTH)
          .as(LogicalTypeAnnotation.decimalType(2, 20))
          .named(SORT)
          .optional(PrimitiveTypeName.INT32)
          .named("x (1)")
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("it's.ünï")
          .named("");

  private static Path write(Path file, int rows, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    Random random = new Random(seed);
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(SCHEMA)
            .withPageWriteChecksumEnabled(true)
            .withPageSize(4096)
            .withRowGroupSize(64L * 1024)
            .build()) {
      for (int i = 0; i < rows; i++) {
        Group row = groups.newGroup();
        if (random.nextInt(50) != 0) {
          row.add(KEY, "key " + random.nextInt(40) + " \u0000(\"é\")");
        }
        if (random.nextInt(50) != 0) {
          // Negative and positive decimals, some equal: ties keep input order.
          BigInteger value = BigInteger.valueOf(random.nextInt(2000) - 1000).shiftLeft(40);
          row.add(SORT, Binary.fromConstantByteArray(fixedWidth(value)));
        }
        if (random.nextBoolean()) {
          row.add("x (1)", random.nextInt());
        }
        row.add("it's.ünï", "row " + i);
        writer.write(row);
      }
    }
    return file;
  }

  private static byte[] fixedWidth(BigInteger value) {
    byte[] bytes = new byte[WIDTH];
    Arrays.fill(bytes, (byte) (value.signum() < 0 ? 0xFF : 0));
    byte[] minimal = value.toByteArray();
    System.arraycopy(minimal, 0, bytes, WIDTH - minimal.length, minimal.length);
    return bytes;
  }

  private CliRun run(Path input, boolean assumeOrdered) {
    return CliRun.of(
        new BundledRunners(),
        "run",
        "--input=" + input,
        "--output=" + temp.resolve("out-" + assumeOrdered),
        "--overwrite",
        "--keyColumn=" + KEY,
        "--sortColumn=" + SORT,
        "--runner=DirectRunner",
        "--assumeOrdered=" + assumeOrdered,
        "--spillDirectory=" + temp.resolve("spill"));
  }

  /** Exit 0 with exactly DuckDB's probe rows, or exit 3 with one line naming the file. */
  private void assertExactOrRefused(Path file, boolean mustRead) throws SQLException {
    for (boolean assumeOrdered : new boolean[] {true, false}) {
      CliRun run = run(file, assumeOrdered);
      if (!mustRead && run.status == ExitStatus.INPUT_ERROR) {
        List<String> lines = run.err.lines().collect(Collectors.toList());
        assertEquals(1, lines.size(), run.toString());
        assertTrue(lines.get(0).contains(file.getFileName().toString()), run.toString());
        assertTrue(!run.err.contains("Exception") && !run.err.contains("\tat "), run.toString());
        continue;
      }
      assertEquals(ExitStatus.DONE, run.status, run.toString());
      try (DuckDb duckDb = new DuckDb()) {
        DuckDb.Verdict verdict =
            duckDb.judge(file.toString(), temp.resolve("out-" + assumeOrdered), KEY, SORT);
        assertTrue(
            verdict.expectedKeys == verdict.actualKeys
                && verdict.keysWithDifferentEvents == 0
                && verdict.unorderedRows == 0
                && verdict.wrongCounts == 0
                && verdict.badChunks == 0
                && verdict.typesMatch(),
            () -> file + " " + run + "\n" + verdict);
      }
    }
  }

  @Test
  void namesTextCannotHoldAndFixedLengthDecimalTimes() throws Exception {
    assertExactOrRefused(write(temp.resolve("in/hostile.parquet"), 3000, 1), true);
  }

  @Test
  void truncatedFileIsOneLine() throws Exception {
    Path whole = write(temp.resolve("whole/hostile.parquet"), 3000, 2);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = temp.resolve("in/truncated.parquet");
    Files.createDirectories(cut.getParent());
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    CliRun run = run(cut, true);
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertExactOrRefused(cut, false);
  }

  /**
   * Columns whose names differ only in case, which DuckDB (the judge elsewhere) takes for one:
   * judged here against the input rows themselves, grouped and stably sorted in Java.
   */
  @Test
  void namesDifferingOnlyInCaseKeepTheirOwnValues() throws Exception {
    MessageType schema =
        Types.buildMessage()
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("k")
            .required(PrimitiveTypeName.INT64)
            .named("t")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("Payload")
            .required(PrimitiveTypeName.INT32)
            .named("payload")
            .named("events");
    Path input = temp.resolve("in/case.parquet");
    Files.createDirectories(input.getParent());
    Random random = new Random(9);
    Map<String, List<List<Object>>> expected = new TreeMap<>();
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(input))
            .withType(schema)
            .withRowGroupSize(4L * 1024)
            .withPageSize(512)
            .build()) {
      for (int i = 0; i < 2000; i++) {
        String key = "k" + random.nextInt(30);
        long time = random.nextInt(100) - 50;
        writer.write(
            groups.newGroup().append("k", key).append("t", time).append("Payload", "P" + i)
                .append("payload", i));
        expected.computeIfAbsent(key, k -> new ArrayList<>()).add(List.of(time, "P" + i, i));
      }
    }
    // Ties in input order: a stable sort by time of rows kept in input order.
    expected.values().forEach(events -> events.sort(Comparator.comparing(e -> (Long) e.get(0))));
    for (boolean assumeOrdered : new boolean[] {true, false}) {
      Path out = temp.resolve("case-out-" + assumeOrdered);
      CliRun run =
          CliRun.of(
              new BundledRunners(),
              "run",
              "--input=" + input,
              "--output=" + out,
              "--keyColumn=k",
              "--sortColumn=t",
              "--runner=DirectRunner",
              "--assumeOrdered=" + assumeOrdered,
              "--spillDirectory=" + temp.resolve("spill"));
      assertEquals(ExitStatus.DONE, run.status, run.toString());
      assertEquals(expected, probeRows(out), run.toString());
    }
  }

  /** Each key's events as (t, Payload, payload), read back with parquet-java. */
  private static Map<String, List<List<Object>>> probeRows(Path out) throws IOException {
    Map<String, List<List<Object>>> rows = new TreeMap<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.toString().endsWith(".parquet")).sorted()
          .collect(Collectors.toList())) {
        try (ParquetReader<Group> reader =
            ParquetReader.builder(
                    new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(part.toUri()))
                .build()) {
          for (Group row = reader.read(); row != null; row = reader.read()) {
            List<List<Object>> events = new ArrayList<>();
            Group list = row.getGroup("events", 0);
            for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
              Group event = list.getGroup("list", i).getGroup("element", 0);
              events.add(
                  List.of(
                      event.getLong("t", 0),
                      event.getString("Payload", 0),
                      event.getInteger("payload", 0)));
            }
            assertEquals(null, rows.put(row.getString("k", 0), events), "one row per key");
          }
        }
      }
    }
    return rows;
  }

  /** A codec no library here decodes (LZO): exit 3 with one line naming the file and the codec. */
  @Test
  void aCodecItCannotDecompressIsOneLine() throws Exception {
    Path lzo =
        withCodec(
            write(temp.resolve("plain/hostile.parquet"), 300, 4),
            temp.resolve("in/lzo.parquet"),
            CompressionCodec.LZO);
    for (boolean assumeOrdered : new boolean[] {true, false}) {
      CliRun run = run(lzo, assumeOrdered);
      assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
      List<String> lines = run.err.lines().collect(Collectors.toList());
      assertEquals(1, lines.size(), run.toString());
      assertTrue(
          lines.get(0).contains("lzo.parquet") && lines.get(0).contains("LZO"), run.toString());
      assertTrue(!run.err.contains("Exception") && !run.err.contains("\tat "), run.toString());
    }
  }

  /**
   * {@code file}, uncompressed, with every column chunk's codec in its footer set to {@code codec}:
   * a file as a writer using that codec would describe it.
   */
  private static Path withCodec(Path file, Path to, CompressionCodec codec) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int footerLength =
        ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = bytes.length - 8 - footerLength;
    FileMetaData footer =
        Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, footerLength));
    for (RowGroup rowGroup : footer.getRow_groups()) {
      for (ColumnChunk chunk : rowGroup.getColumns()) {
        chunk.getMeta_data().setCodec(codec);
      }
    }
    ByteArrayOutputStream newFooter = new ByteArrayOutputStream();
    Util.writeFileMetaData(footer, newFooter);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, footerStart);
    newFooter.writeTo(out);
    out.write(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(newFooter.size()).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    Files.createDirectories(to.getParent());
    return Files.write(to, out.toByteArray());
  }

  /** A few bytes flipped anywhere, data pages or footer: DuckDB's answer or one line. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void flippedBytesAreReadExactlyOrRefused(long seed) throws Exception {
    Path clean = write(temp.resolve("clean/hostile.parquet"), 3000, 3);
    byte[] bytes = Files.readAllBytes(clean);
    Random random = new Random(seed);
    for (int i = 0; i < 3; i++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
    Path flipped = temp.resolve("in/flipped-" + seed + ".parquet");
    Files.createDirectories(flipped.getParent());
    Files.write(flipped, bytes);
    boolean duckDbReads;
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.count("SELECT count(*) FROM read_parquet('" + flipped + "')");
      duckDbReads = true;
    } catch (SQLException e) {
      duckDbReads = false;
    }
    if (duckDbReads) {
      assertExactOrRefused(flipped, false);
    } else {
      for (boolean assumeOrdered : new boolean[] {true, false}) {
        CliRun run = run(flipped, assumeOrdered);
        assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
      }
    }
  }
}
