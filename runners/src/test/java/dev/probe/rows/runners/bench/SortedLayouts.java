package dev.probe.rows.runners.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The two sorted layouts besides a global sort that real writers leave (issue 18, item 3), each
 * written by DuckDB from the random layout with every file sorted by (src_addr, event_time):
 *
 * <ul>
 *   <li><b>hashed</b>: a key's events all in one file, chosen by a hash of the key, as a bucketed
 *       table (Spark's {@code bucketBy(n, key).sortBy(key, time)}) leaves them. Every file spans
 *       nearly the whole key range, so each row group's range overlaps other files' row groups and
 *       none holds its keys alone.
 *   <li><b>windowed</b>: one file per equal slice of the time span, as a job writing each hour or
 *       day sorted leaves them. A key has events in every file, in time order across files.
 * </ul>
 *
 * Ties (equal key and time) keep their relative order from the random layout; each layout's right
 * answer is computed from its own files, as for the others.
 */
final class SortedLayouts {
  static final String HASHED = "hashed";
  static final String WINDOWED = "windowed";

  private SortedLayouts() {}

  /** Writes {@code layout} ({@value #HASHED} or {@value #WINDOWED}) of the random layout's rows. */
  static void write(Connection db, Path random, String layout, Path folder, int files)
      throws Exception {
    Files.createDirectories(folder);
    String input =
        "read_parquet("
            + Benchmark.sqlString(random.resolve("*.parquet"))
            + ", filename=true, file_row_number=true)";
    try (Statement statement = db.createStatement()) {
      String fileOf = fileOf(statement, input, layout, files);
      for (int file = 0; file < files; file++) {
        statement.execute(
            "COPY (SELECT * EXCLUDE (filename, file_row_number) FROM "
                + input
                + " WHERE "
                + fileOf
                + " = "
                + file
                + " ORDER BY src_addr, event_time, filename, file_row_number) TO "
                + Benchmark.sqlString(folder.resolve(WideEvents.fileName(file)))
                + WideEvents.parquetOptions());
      }
    }
  }

  /** The SQL expression of a row's file number in {@code layout}. */
  private static String fileOf(Statement statement, String input, String layout, int files)
      throws Exception {
    switch (layout) {
      case HASHED:
        return "hash(src_addr) % " + files;
      case WINDOWED:
        try (ResultSet bounds =
            statement.executeQuery(
                "SELECT epoch_us(min(event_time)), epoch_us(max(event_time)) FROM " + input)) {
          bounds.next();
          long lowest = bounds.getLong(1);
          long span = bounds.getLong(2) - lowest + 1;
          return "least("
              + (files - 1)
              + ", (epoch_us(event_time) - "
              + lowest
              + ") * "
              + files
              + " // "
              + span
              + ")";
        }
      default:
        throw new IllegalArgumentException(
            "unknown layout " + layout + "; layouts: " + Benchmark.EXTRA_LAYOUTS);
    }
  }
}
