package dev.probe.rows.runners.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The DuckDB side of the benchmark, in a JVM of its own so that its peak RSS is its own: the old
 * tool's query, {@code LIST(STRUCT_PACK(...) [ORDER BY event_time]) ... GROUP BY src_addr}, copied
 * to one Parquet file through DuckDB's JDBC driver.
 *
 * <p>Usage: {@code DuckDbQuery ordered|unordered INPUT_GLOB OUTPUT_FILE TEMP_DIR THREADS
 * MEMORY_LIMIT}. Prints {@code BENCH rows=N} (probe rows written) and {@code BENCH
 * inner_seconds=S}; when DuckDB runs out of memory it prints {@code BENCH status=OOM}, the time
 * until the failure and the error, and exits with status 3. Other errors exit with status 1.
 */
public final class DuckDbQuery {
  static final int EXIT_OOM = 3;

  private DuckDbQuery() {}

  static String query(boolean ordered, String inputGlob, String outputFile) {
    return "COPY (SELECT src_addr, LIST(STRUCT_PACK(event_time := event_time, dst_addr := dst_addr,"
        + " dst_port := dst_port, protocol := protocol, ttl := ttl, packet_size := packet_size)"
        + (ordered ? " ORDER BY event_time" : "")
        + ") AS events FROM read_parquet('"
        + inputGlob.replace("'", "''")
        + "') GROUP BY src_addr) TO '"
        + outputFile.replace("'", "''")
        + "' (FORMAT PARQUET)";
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    if (args.length != 6 || !(args[0].equals("ordered") || args[0].equals("unordered"))) {
      System.err.println(
          "usage: DuckDbQuery ordered|unordered INPUT_GLOB OUTPUT_FILE TEMP_DIR THREADS"
              + " MEMORY_LIMIT");
      System.exit(2);
    }
    boolean ordered = args[0].equals("ordered");
    String sql = query(ordered, args[1], args[2]);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads=" + Integer.parseInt(args[4]));
      statement.execute("SET memory_limit='" + args[5].replace("'", "''") + "'");
      statement.execute("SET temp_directory='" + args[3].replace("'", "''") + "'");
      System.out.println("BENCH duckdb_version=" + version(statement));
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

  private static String version(Statement statement) throws SQLException {
    try (ResultSet result = statement.executeQuery("SELECT version()")) {
      result.next();
      return result.getString(1);
    }
  }
}
