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
