package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of apache/parquet-testing's corpus ({@code testdata/parquet-testing}), written by many
 * writers, and of {@code testdata/other-writers} (Polars' files, with names and types the corpus
 * lacks) is either read exactly (DuckDB's grouping of the same file, on both paths) or refused
 * with exit status 3 and one line naming the file; never an internal error.
 *
 * <p>{@code -Dcorpus.dir=DIR} runs the same checks on another copy of the corpus, e.g. the whole
 * of its {@code data/} folder, larger files included.
 */
class CorpusTest {
  /**
   * Files DuckDB cannot read (the deprecated LZ4 codec), judged against a file of the corpus that
   * holds the same rows in a codec DuckDB reads. Only events and types are compared: the twin's
   * nullability may differ.
   */
  private static final Map<String, String> TWINS =
      Map.of(
          "hadoop_lz4_compressed.parquet", "lz4_raw_compressed.parquet",
          "non_hadoop_lz4_compressed.parquet", "lz4_raw_compressed.parquet",
          "hadoop_lz4_compressed_larger.parquet", "lz4_raw_compressed_larger.parquet");

  @TempDir Path temp;

  static Stream<Arguments> corpusFiles() throws IOException {
    String dir = System.getProperty("corpus.dir");
    Path testdata = TestInputs.testdata();
    List<Path> roots =
        dir == null
            ? List.of(testdata.resolve("parquet-testing"), testdata.resolve("other-writers"))
            : List.of(Path.of(dir));
    List<Arguments> corpus = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(file -> file.getFileName().toString().contains(".parquet"))
            .sorted()
            .forEach(file -> corpus.add(Arguments.of(root.relativize(file).toString(), file)));
      }
    }
    return corpus.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusFiles")
  void readExactlyOrRefusedCleanly(String name, Path file) throws Exception {
    Columns columns = Columns.of(file);
    for (boolean assumeOrdered : new boolean[] {true, false}) {
      Path out = temp.resolve("out-" + assumeOrdered);
      CliRun run =
          CliRun.of(
              new BundledRunners(),
              "run",
              "--input=" + file,
              "--output=" + out,
              "--keyColumn=" + columns.key,
              "--sortColumn=" + columns.sort,
              "--columns=" + String.join(",", columns.events),
              "--runner=DirectRunner",
              "--assumeOrdered=" + assumeOrdered,
              "--spillDirectory=" + temp.resolve("spill"));
      String outcome = name + " (key " + columns.key + ", sort " + columns.sort + "): " + run;
      if (run.status == ExitStatus.INPUT_ERROR) {
        assertRefusedCleanly(run, file, columns, outcome);
        System.out.println("corpus: " + name + ": refused: " + run.err.trim());
        return;
      }
      // DuckDB reads a page whose checksum is wrong: its values cannot judge such a file.
      assertTrue(!name.contains("corrupt-checksum"), "a corrupt page must be refused: " + outcome);
      assertEquals(ExitStatus.DONE, run.status, outcome);
      assertTrue(columns.usable, "a run with unusable columns must be refused: " + outcome);
      assertMatchesDuckDb(file, out, columns, outcome);
    }
    System.out.println(
        "corpus: " + name + ": matched (key " + columns.key + ", sort " + columns.sort + ")");
  }

  private static void assertRefusedCleanly(
      CliRun run, Path file, Columns columns, String outcome) {
    List<String> lines = run.err.lines().collect(Collectors.toList());
    assertEquals(1, lines.size(), "one line: " + outcome);
    String line = lines.get(0);
    assertTrue(line.startsWith("probe-rows: "), outcome);
    assertTrue(
        line.contains(file.getFileName().toString())
            || line.contains("'" + columns.key + "'")
            || line.contains("'" + columns.sort + "'"),
        "the line names the file or the column: " + outcome);
    for (String javaMessage : List.of("Exception", "\tat ", "org.apache.", "java.lang")) {
      assertTrue(!run.err.contains(javaMessage), "no Java message: " + outcome);
    }
  }

  private static void assertMatchesDuckDb(Path file, Path out, Columns columns, String outcome)
      throws SQLException {
    String twin = TWINS.get(file.getFileName().toString());
    Path judged = twin == null ? file : file.resolveSibling(twin);
    try (DuckDb duckDb = new DuckDb()) {
      DuckDb.Verdict verdict =
          duckDb.judge(judged.toString(), out, columns.key, columns.sort, columns.events);
      if (verdict.expectedKeys == 0) {
        // Every row has a null key or time: nothing to judge but that nothing was written.
        assertEquals(0, verdict.actualRows, outcome + "\n" + verdict);
        return;
      }
      assertTrue(
          verdict.expectedKeys == verdict.actualKeys
              && verdict.keysWithDifferentEvents == 0
              && verdict.unorderedRows == 0
              && verdict.wrongCounts == 0
              && verdict.badChunks == 0
              && (twin == null
                  ? verdict.typesMatch()
                  : verdict.expectedEventsType.equals(verdict.actualEventsType)),
          () -> outcome + "\n" + verdict);
    } catch (SQLException e) {
      fail("probe-rows read a file DuckDB cannot judge (" + e.getMessage() + "): " + outcome, e);
    }
  }

  /**
   * The key and sort columns of a run on a file: a low-cardinality string, binary or integer key
   * and an integer, decimal, date or timestamp sort column when the file has both, else the first
   * two columns (or one twice), which the run must refuse. The events hold every other column
   * DuckDB, the judge, can read (DuckDB 1.4 decodes BYTE_STREAM_SPLIT only for floating point).
   */
  static final class Columns {
    final String key;
    final String sort;
    final List<String> events;
    final boolean usable;

    private Columns(String key, String sort, List<String> events, boolean usable) {
      this.key = key;
      this.sort = sort;
      this.events = events;
      this.usable = usable;
    }

    static Columns of(Path file) throws SQLException {
      MessageType schema;
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        schema = reader.getFooter().getFileMetaData().getSchema();
      } catch (IOException | RuntimeException unreadable) {
        return new Columns("a", "b", List.of("c"), false);
      }
      String twin = TWINS.get(file.getFileName().toString());
      List<String> readable = readByDuckDb(twin == null ? file : file.resolveSibling(twin), schema);
      List<String> keys = new ArrayList<>();
      List<String> sorts = new ArrayList<>();
      for (Type field : schema.getFields()) {
        if (!field.isPrimitive()
            || field.isRepetition(Type.Repetition.REPEATED)
            || !readable.contains(field.getName())) {
          continue;
        }
        PrimitiveType type = field.asPrimitiveType();
        if (isKey(type)) {
          keys.add(field.getName());
        }
        if (isSort(type)) {
          sorts.add(field.getName());
        }
      }
      List<String> byCardinality = byCardinality(file, keys);
      for (String key : byCardinality) {
        for (String sort : sorts) {
          if (!sort.equals(key)) {
            List<String> events = new ArrayList<>(readable);
            events.remove(key);
            return new Columns(key, sort, events, true);
          }
        }
      }
      String first = schema.getFieldCount() > 0 ? schema.getFieldName(0) : "a";
      String second = schema.getFieldCount() > 1 ? schema.getFieldName(1) : first;
      return new Columns(first, second, List.of(second), false);
    }

    /** The top-level columns whose values DuckDB reads from {@code file}, in file order. */
    private static List<String> readByDuckDb(Path file, MessageType schema) throws SQLException {
      List<String> readable = new ArrayList<>();
      try (DuckDb duckDb = new DuckDb()) {
        for (Type field : schema.getFields()) {
          try {
            // A hash of every value: a count or min/max could come from the footer alone.
            duckDb.count(
                "SELECT count(DISTINCT hash("
                    + DuckDb.quote(field.getName())
                    + ")) FROM read_parquet('"
                    + file
                    + "')");
            readable.add(field.getName());
          } catch (SQLException unreadable) {
            // Not judged: the run leaves it out of the events.
          }
        }
      }
      return readable;
    }

    private static boolean isKey(PrimitiveType type) {
      LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
      switch (type.getPrimitiveTypeName()) {
        case BINARY:
          return annotation == null
              || annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
              || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
        case INT32:
        case INT64:
          return annotation == null
              || annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation;
        default:
          return false;
      }
    }

    private static boolean isSort(PrimitiveType type) {
      LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
      PrimitiveTypeName physical = type.getPrimitiveTypeName();
      if (physical == PrimitiveTypeName.INT96) {
        return true;
      }
      if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
          || physical == PrimitiveTypeName.BINARY) {
        return annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
      }
      return (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64)
          && (annotation == null
              || annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
              || annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
              || annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
              || annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation);
    }

    /** The key candidates, fewest distinct values first; all of them if DuckDB cannot count. */
    private static List<String> byCardinality(Path file, List<String> keys) throws SQLException {
      List<String> sorted = new ArrayList<>(keys);
      try (DuckDb duckDb = new DuckDb()) {
        List<Long> counts = new ArrayList<>();
        for (String key : keys) {
          counts.add(
              duckDb.count(
                  "SELECT count(DISTINCT "
                      + DuckDb.quote(key)
                      + ") FROM read_parquet('"
                      + file
                      + "')"));
        }
        sorted.sort(Comparator.comparing(key -> counts.get(keys.indexOf(key))));
      } catch (SQLException unreadable) {
        return sorted;
      }
      return sorted;
    }
  }
}
