package dev.probe.rows.runners.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The DuckDB side of the benchmark, in a JVM of its own so that its peak RSS is its own: the old
 * tool's query, {@code LIST(STRUCT_PACK(...) [ORDER BY event_time]) ... GROUP BY src_addr}, with
 * every column but the key in the struct, copied to one Parquet file through DuckDB's JDBC driver
 * (whichever DuckDB is on the class path: the harness runs DuckDB 2 from a class path of its own).
 *
 * <p>Usage: {@code DuckDbQuery ordered|unordered INPUT_GLOB OUTPUT_FILE TEMP_DIR THREADS
 * MEMORY_LIMIT KEY_COLUMN SORT_COLUMN}. Prints {@code BENCH duckdb_version=V}, {@code BENCH rows=N}
 * (probe rows written) and {@code BENCH inner_seconds=S}; when DuckDB runs out of memory it prints
 * {@code BENCH status=OOM}, the time until the failure and the error, and exits with status 3.
 * Other errors exit with status 1.
 */
public final class DuckDbQuery {
  static final int EXIT_OOM = 3;

  private DuckDbQuery() {}

  static String query(
      boolean ordered,
      String inputGlob,
      String outputFile,
      String keyColumn,
      String sortColumn,
      List<String> eventColumns) {
    return "COPY (SELECT "
        + quote(keyColumn)
        + ", LIST(STRUCT_PACK("
        + eventColumns.stream()
            .map(c -> quote(c) + " := " + quote(c))
            .collect(Collectors.joining(", "))
        + ")"
        + (ordered ? " ORDER BY " + quote(sortColumn) : "")
        + ") AS events FROM read_parquet("
        + sqlString(inputGlob)
        + ") GROUP BY "
        + quote(keyColumn)
        + ") TO "
        + sqlString(outputFile)
        + " (FORMAT PARQUET)";
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    if (args.length != 8 || !(args[0].equals("ordered") || args[0].equals("unordered"))) {
      System.err.println(
          "usage: DuckDbQuery ordered|unordered INPUT_GLOB OUTPUT_FILE TEMP_DIR THREADS"
              + " MEMORY_LIMIT KEY_COLUMN SORT_COLUMN");
      System.exit(2);
    }
    boolean ordered = args[0].equals("ordered");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads=" + Integer.parseInt(args[4]));
      statement.execute("SET memory_limit=" + sqlString(args[5]));
      statement.execute("SET temp_directory=" + sqlString(args[3]));
      System.out.println("BENCH duckdb_version=" + version(statement));
      String sql =
          query(
              ordered,
              args[1],
              args[2],
              args[6],
              args[7],
              eventColumns(statement, args[1], args[6]));
      System.out.println("BENCH sql=" + sql);
      long rows = -1;
      try {
        if (statement.execute(sql)) {
          try (ResultSet result = statement.getResultSet()) {
            if (result.next()) {
              rows = result.getLong(1);
            }
          }
        } else {
          rows = statement.getUpdateCount();
        }
      } catch (SQLException e) {
        double seconds = (System.nanoTime() - start) / 1e9;
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("out of memory")) {
          System.out.println("BENCH status=OOM");
          System.out.printf("BENCH inner_seconds=%.3f%n", seconds);
          System.out.println("BENCH error=" + message.replace('\n', ' '));
          System.out.flush();
          System.exit(EXIT_OOM);
        }
        throw e;
      }
      System.out.println("BENCH rows=" + rows);
      System.out.printf("BENCH inner_seconds=%.3f%n", (System.nanoTime() - start) / 1e9);
    }
  }

  /** Every column but the key, in input order. */
  private static List<String> eventColumns(Statement statement, String inputGlob, String keyColumn)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet result =
        statement.executeQuery(
            "DESCRIBE SELECT * FROM read_parquet(" + sqlString(inputGlob) + ")")) {
      while (result.next()) {
        String name = result.getString("column_name");
        if (!name.equals(keyColumn)) {
          columns.add(name);
        }
      }
    }
    return columns;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String sqlString(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String version(Statement statement) throws SQLException {
    try (ResultSet result = statement.executeQuery("SELECT version()")) {
      result.next();
      return result.getString(1);
    }
  }
}
