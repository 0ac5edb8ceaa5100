package dev.probe.rows.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * DuckDB as an independent judge of probe rows: it reads the output files with its own Parquet
 * reader and compares them with its own {@code LIST(... ORDER BY time, file, row) GROUP BY key}
 * over the input rows whose key and time are not null.
 */
public final class DuckDb implements AutoCloseable {
  private final Connection connection;

  public DuckDb() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
  }

  public void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  public long count(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  public List<String> strings(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  /** What DuckDB found when it compared the probe rows with its own grouping. */
  public static final class Verdict {
    public long expectedKeys;
    public long actualKeys;
    public long actualRows;

    /** Keys whose event list (chunks joined in order) is not exactly DuckDB's ordered list. */
    public long keysWithDifferentEvents;

    /** Rows whose events are not in non-decreasing time order. */
    public long unorderedRows;

    /** Rows whose event_count is not the length of events. */
    public long wrongCounts;

    /** (key, chunk) pairs that appear more than once, or chunk numbers with gaps. */
    public long badChunks;

    public String expectedEventsType;
    public String actualEventsType;
    public String expectedKeyType;
    public String actualKeyType;

    /** Parquet schema nodes (physical, logical and converted types, repetition) that differ. */
    public List<String> schemaDifferences;

    /** Fails unless the probe rows are exactly DuckDB's ordered lists, with the input's types. */
    public void assertCorrect() {
      assertTrue(expectedKeys > 0, this::toString);
      assertEquals(expectedKeys, actualKeys, this::toString);
      assertEquals(0, keysWithDifferentEvents, this::toString);
      assertEquals(0, unorderedRows, this::toString);
      assertEquals(0, wrongCounts, this::toString);
      assertEquals(0, badChunks, this::toString);
      assertTrue(typesMatch(), this::toString);
    }

    public boolean typesMatch() {
      return expectedEventsType.equals(actualEventsType)
          && expectedKeyType.equals(actualKeyType)
          && schemaDifferences.isEmpty();
    }

    @Override
    public String toString() {
      return String.format(
          "expected keys %d, actual keys %d (rows %d), keys with different events %d, unordered"
              + " rows %d, wrong counts %d, bad chunks %d, events type %s vs %s, key type %s vs %s,"
              + " Parquet schema differences %s",
          expectedKeys,
          actualKeys,
          actualRows,
          keysWithDifferentEvents,
          unorderedRows,
          wrongCounts,
          badChunks,
          expectedEventsType,
          actualEventsType,
          expectedKeyType,
          actualKeyType,
          schemaDifferences);
    }
  }

  /** The input's top-level columns, in file order. */
  public List<String> columns(String glob) throws SQLException {
    return strings("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('" + glob + "'))");
  }

  /** Judges probe rows that hold every input column but the key. */
  public Verdict judge(String inputGlob, Path outputDir, String key, String sort)
      throws SQLException {
    List<String> events = new ArrayList<>(columns(inputGlob));
    events.remove(key);
    return judge(inputGlob, outputDir, key, sort, events);
  }

  /**
   * Judges the probe rows in {@code outputDir} against the events matching {@code inputGlob}.
   *
   * @param eventColumns the columns inside events, in input order
   */
  public Verdict judge(
      String inputGlob, Path outputDir, String key, String sort, List<String> eventColumns)
      throws SQLException {
    String struct =
        eventColumns.stream()
            .map(c -> quote(c) + " := " + quote(c))
            .collect(Collectors.joining(", "));
    String k = quote(key);
    execute(
        "CREATE OR REPLACE TABLE expected AS SELECT "
            + k
            + " AS k, LIST(STRUCT_PACK("
            + struct
            + ") ORDER BY "
            + quote(sort)
            + ", filename, file_row_number) AS events FROM read_parquet('"
            + inputGlob
            + "', filename = true, file_row_number = true) WHERE "
            + k
            + " IS NOT NULL AND "
            + quote(sort)
            + " IS NOT NULL GROUP BY "
            + k);
    execute(
        "CREATE OR REPLACE TABLE actual AS SELECT "
            + k
            + " AS k, chunk, event_count, events FROM read_parquet('"
            + outputDir.resolve("part-*.parquet")
            + "')");
    execute(
        "CREATE OR REPLACE TABLE actual_joined AS SELECT k, flatten(LIST(events ORDER BY chunk))"
            + " AS events FROM actual GROUP BY k");
    Verdict verdict = new Verdict();
    verdict.expectedKeys = count("SELECT count(*) FROM expected");
    verdict.actualKeys = count("SELECT count(DISTINCT k) FROM actual");
    verdict.actualRows = count("SELECT count(*) FROM actual");
    verdict.keysWithDifferentEvents =
        count(
            "SELECT count(*) FROM expected e FULL OUTER JOIN actual_joined a ON e.k = a.k"
                + " WHERE e.events IS DISTINCT FROM a.events");
    // Without the sort column in the events, their order is judged by the comparison of lists.
    verdict.unorderedRows =
        !eventColumns.contains(sort)
            ? 0
            : count(
            "SELECT count(DISTINCT (k, chunk)) FROM (SELECT k, chunk, t, lag(t) OVER (PARTITION BY"
                + " k, chunk ORDER BY i) AS previous FROM (SELECT k, chunk, unnest(events)."
                + quote(sort)
                + " AS t, generate_subscripts(events, 1) AS i FROM actual)) WHERE previous > t");
    verdict.wrongCounts = count("SELECT count(*) FROM actual WHERE event_count <> len(events)");
    verdict.badChunks =
        count(
            "SELECT count(*) FROM (SELECT k, count(*) AS n, count(DISTINCT chunk) AS d,"
                + " max(chunk) AS m FROM actual GROUP BY k) WHERE n <> d OR m <> n - 1");
    verdict.expectedEventsType = typeOf("events", "expected");
    verdict.actualEventsType = typeOf("events", "actual");
    verdict.expectedKeyType = typeOf("k", "expected");
    verdict.actualKeyType = typeOf("k", "actual");
    verdict.schemaDifferences = schemaDifferences(inputGlob, outputDir, key, eventColumns);
    return verdict;
  }

  /**
   * Compares the Parquet schema nodes of the first input file (key and event columns) with the
   * output's: the output must have exactly those plus its own wrapper nodes.
   */
  private List<String> schemaDifferences(
      String inputGlob, Path outputDir, String key, List<String> eventColumns) throws SQLException {
    String firstInput =
        strings("SELECT file FROM glob('" + inputGlob + "') ORDER BY file LIMIT 1").get(0);
    String firstOutput =
        strings(
                "SELECT file FROM glob('"
                    + outputDir.resolve("part-*.parquet")
                    + "') ORDER BY file LIMIT 1")
            .get(0);
    String nodes =
        "name, type, type_length, repetition_type, converted_type, scale, precision,"
            + " CAST(logical_type AS VARCHAR) AS logical_type";
    // parquet-java, the writer here, gives every millisecond or microsecond timestamp its legacy
    // converted type, adjusted to UTC or not (ParquetMetadataConverter); others (Polars) give it
    // only to those adjusted to UTC, as the legacy type means. The logical type is compared below.
    execute(
        "CREATE OR REPLACE TABLE input_nodes AS SELECT * REPLACE (CASE WHEN converted_type IS NULL"
            + " AND logical_type LIKE 'TimestampType(%MILLIS=MilliSeconds()%' THEN"
            + " 'TIMESTAMP_MILLIS' WHEN converted_type IS NULL AND logical_type LIKE"
            + " 'TimestampType(%MICROS=MicroSeconds()%' THEN 'TIMESTAMP_MICROS' ELSE converted_type"
            + " END AS converted_type) FROM (SELECT "
            + nodes
            + ", row_number() OVER () AS i"
            + " FROM parquet_schema('"
            + firstInput
            + "'))");
    // Nodes of the key and the event columns: a nested column's nodes follow its top-level node.
    execute(
        "CREATE OR REPLACE TABLE kept_nodes AS SELECT * EXCLUDE (i, top) FROM (SELECT *,"
            + (" (SELECT last(n.name ORDER BY n.i) FROM input_nodes n WHERE n.i <= input_nodes.i"
                    + " AND n.name IN (SELECT unnest(?))) AS top FROM input_nodes WHERE i > 1)")
                .replace("?", sqlList(columns(inputGlob)))
            + " WHERE top IN (SELECT unnest("
            + sqlList(withKey(key, eventColumns))
            + "))");
    execute(
        "CREATE OR REPLACE TABLE output_nodes AS SELECT "
            + nodes
            + " FROM parquet_schema('"
            + firstOutput
            + "') WHERE name <> (SELECT name FROM parquet_schema('"
            + firstOutput
            + "') LIMIT 1)");
    List<String> differences = new ArrayList<>();
    // DuckDB writes some types (strings, dates, small ints) with only the legacy converted type;
    // parquet-mr writes the equivalent logical type beside it. Logical types are compared where
    // the input has one; everything else always.
    String plain = "SELECT * EXCLUDE (logical_type) FROM ";
    for (String missing :
        strings(
            "SELECT CAST(x AS VARCHAR) FROM ("
                + plain
                + "kept_nodes EXCEPT ALL "
                + plain
                + "output_nodes) x")) {
      differences.add("missing " + missing);
    }
    for (String missing :
        strings(
            "SELECT CAST(x AS VARCHAR) FROM (SELECT name, logical_type FROM kept_nodes WHERE"
                + " logical_type IS NOT NULL EXCEPT ALL SELECT name, logical_type FROM"
                + " output_nodes) x")) {
      differences.add("different logical type " + missing);
    }
    for (String extra :
        strings(
            "SELECT CAST(x AS VARCHAR) FROM ("
                + plain
                + "output_nodes EXCEPT ALL "
                + plain
                + "kept_nodes) x WHERE NOT (name IN ('chunk', 'event_count', 'events', 'list',"
                + " 'element') AND converted_type IS DISTINCT FROM 'UTF8')")) {
      differences.add("extra " + extra);
    }
    return differences;
  }

  private static List<String> withKey(String key, List<String> eventColumns) {
    List<String> names = new ArrayList<>(eventColumns);
    names.add(key);
    return names;
  }

  /** A SQL list of string literals. */
  private static String sqlList(List<String> values) {
    return values.stream()
        .map(value -> "'" + value.replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private String typeOf(String column, String table) throws SQLException {
    List<String> types = strings("SELECT typeof(" + column + ") FROM " + table + " LIMIT 1");
    return types.isEmpty() ? "(no rows)" : types.get(0);
  }

  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
