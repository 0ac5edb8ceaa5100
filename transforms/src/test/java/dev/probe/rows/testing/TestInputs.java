package dev.probe.rows.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;

/** Test inputs made by independent writers. */
public final class TestInputs {
  private TestInputs() {}

  /** The repository's {@code testdata/} folder; tests run with a module as working directory. */
  public static Path testdata() {
    Path here = Paths.get("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("testdata")) && Files.exists(dir.resolve("pom.xml"))) {
        return dir.resolve("testdata");
      }
    }
    throw new IllegalStateException("no testdata/ above " + here);
  }

  /** Runs {@code testdata/duckdb-types.sql}: two files of typed events written by DuckDB. */
  public static Path duckDbTypes(Path dir) throws IOException, SQLException {
    Files.createDirectories(dir);
    runScript("duckdb-types.sql", dir);
    return dir;
  }

  /** The layouts of {@code testdata/duckdb-layouts.sql}: sorted, interleaved, shuffled. */
  public static Path duckDbLayout(Path dir, String layout) throws IOException, SQLException {
    if (!Files.exists(dir.resolve("typed-0.parquet"))) {
      duckDbTypes(dir);
      for (String name : new String[] {"sorted", "interleaved", "shuffled"}) {
        Files.createDirectories(dir.resolve(name));
      }
      runScript("duckdb-layouts.sql", dir);
    }
    return dir.resolve(layout);
  }

  /**
   * Three files of 20,000 events, as a table bucketed by key leaves them: keys dealt by hash, each
   * file sorted by key and time in row groups of 2,048 rows, so every file spans the whole key
   * range. Some keys and some times are null. With {@code secondFileBackwards} the second file's
   * times run backwards within each key: its keys are still in order, so its statistics look
   * sorted.
   */
  public static Path bucketedSortedFiles(Path dir, boolean secondFileBackwards)
      throws IOException, SQLException {
    Files.createDirectories(dir);
    try (DuckDb duckDb = new DuckDb()) {
      for (int bucket = 0; bucket < 3; bucket++) {
        String time = bucket == 1 && secondFileBackwards ? "event_time DESC" : "event_time";
        duckDb.execute(
            "COPY (SELECT * FROM (SELECT CASE WHEN i % 1009 = 0 THEN NULL ELSE 'k' || (i % 700)"
                + " END AS src_addr, CASE WHEN i % 997 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01'"
                + " + to_seconds(i % 7919) END AS event_time, i AS seq, repeat('x', i % 13) AS"
                + " payload FROM range(60000) t(i)) WHERE hash(coalesce(src_addr, '')) % 3 = "
                + bucket
                + " ORDER BY src_addr NULLS LAST, "
                + time
                + ") TO '"
                + dir.resolve("part-" + bucket + ".parquet")
                + "' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)");
      }
    }
    return dir;
  }

  private static void runScript(String name, Path dir) throws IOException, SQLException {
    String script =
        Files.readString(testdata().resolve(name), StandardCharsets.UTF_8)
            .replace("${dir}", dir.toString());
    try (DuckDb duckDb = new DuckDb()) {
      for (String statement : script.split(";\\s*\\n")) {
        String sql =
            statement
                .lines()
                .filter(l -> !l.trim().startsWith("--"))
                .reduce("", (a, b) -> a + "\n" + b)
                .trim();
        if (!sql.isEmpty()) {
          duckDb.execute(sql);
        }
      }
    }
  }
}
