package dev.probe.rows.transforms;

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
    String script =
        Files.readString(testdata().resolve("duckdb-types.sql"), StandardCharsets.UTF_8)
            .replace("${dir}", dir.toString());
    try (DuckDb duckDb = new DuckDb()) {
      for (String statement : script.split(";\\s*\\n")) {
        String sql = statement.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
        if (!sql.isEmpty()) {
          duckDb.execute(sql);
        }
      }
    }
    return dir;
  }
}
