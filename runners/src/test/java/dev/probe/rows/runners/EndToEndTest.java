package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole command on each bundled runner, judged by DuckDB. */
class EndToEndTest {
  @TempDir Path temp;

  private static void assertMatchesDuckDb(Path input, Path out) throws Exception {
    try (DuckDb duckDb = new DuckDb()) {
      DuckDb.Verdict verdict =
          duckDb.judge(input.resolve("*.parquet").toString(), out, "src_addr", "event_time");
      verdict.assertCorrect();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FlinkRunner", "DirectRunner"})
  void duckDbTypedInput(String runner) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    CliRun run =
        CliRun.of(
            new BundledRunners(),
            "run",
            "--input=" + input.resolve("*.parquet"),
            "--output=" + out,
            "--runner=" + runner,
            "--spillDirectory=" + temp.resolve("spill"));
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    assertTrue(run.out.contains("rejected "), run.toString());
    assertMatchesDuckDb(input, out);
  }

  /**
   * --assumeOrdered on each layout gives exactly the sorted path's rows: one global sort split over
   * files (keys straddle file edges), files each sorted with a key's times interleaved across them,
   * and shuffled rows (which it must still order).
   */
  @ParameterizedTest
  @CsvSource({
    "FlinkRunner, sorted", "FlinkRunner, interleaved", "FlinkRunner, shuffled",
    "DirectRunner, sorted", "DirectRunner, interleaved", "DirectRunner, shuffled"
  })
  void assumeOrderedGivesTheSortedPathsOutput(String runner, String layout) throws Exception {
    Path input = TestInputs.duckDbLayout(temp.resolve("in"), layout);
    for (boolean assumeOrdered : new boolean[] {true, false}) {
      CliRun run =
          CliRun.of(
              new BundledRunners(),
              "run",
              "--input=" + input.resolve("*.parquet"),
              "--output=" + temp.resolve("out-" + assumeOrdered),
              "--runner=" + runner,
              "--assumeOrdered=" + assumeOrdered,
              "--spillDirectory=" + temp.resolve("spill"));
      assertEquals(ExitStatus.DONE, run.status, run.toString());
      assertMatchesDuckDb(input, temp.resolve("out-" + assumeOrdered));
      if (assumeOrdered) {
        assertEquals(
            layout.equals("shuffled"),
            !run.out.contains("--assumeOrdered: 0 rows went back in time"),
            run.toString());
        // Only the globally sorted files have row groups whose key ranges merely touch.
        assertEquals(
            layout.equals("sorted"),
            run.out.contains("3 of 3 row groups wrote the keys they alone hold"),
            run.toString());
      }
    }
    try (DuckDb duckDb = new DuckDb()) {
      String fast = "read_parquet('" + temp.resolve("out-true/part-*.parquet") + "')";
      String sorted = "read_parquet('" + temp.resolve("out-false/part-*.parquet") + "')";
      assertEquals(
          0,
          duckDb.count("SELECT count(*) FROM (FROM " + fast + " EXCEPT ALL FROM " + sorted + ")"));
      assertEquals(
          0,
          duckDb.count("SELECT count(*) FROM (FROM " + sorted + " EXCEPT ALL FROM " + fast + ")"));
    }
  }

  /**
   * Three keys mixed in one row group (DuckDB-written): the ordered path starts writing the key
   * inside the row group's range itself, meets a row out of order and reads the row group again.
   * That second reading once shipped each row with the values of the row before it.
   */
  @ParameterizedTest
  @CsvSource({
    "FlinkRunner, true", "FlinkRunner, false", "DirectRunner, true", "DirectRunner, false"
  })
  void keysMixedInOneRowGroupKeepTheirOwnValues(String runner, boolean assumeOrdered)
      throws Exception {
    Path input = temp.resolve("mixed");
    try (DuckDb duckDb = new DuckDb()) {
      Files.createDirectories(input);
      duckDb.execute(
          "COPY (SELECT * FROM (VALUES ('b',2,'b@2'),('a',1,'a@1'),('b',1,'b@1'),('a',3,'a@3'),"
              + "('c',1,'c@1'),('a',2,'a@2'),('c',2,'c@2'),('b',3,'b@3')) t(k,ts,payload)) TO '"
              + input.resolve("mini.parquet")
              + "'");
    }
    Path out = temp.resolve("out");
    CliRun run =
        CliRun.of(
            new BundledRunners(),
            "run",
            "--input=" + input.resolve("mini.parquet"),
            "--output=" + out,
            "--keyColumn=k",
            "--sortColumn=ts",
            "--assumeOrdered=" + assumeOrdered,
            "--runner=" + runner,
            "--spillDirectory=" + temp.resolve("spill"));
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    try (DuckDb duckDb = new DuckDb()) {
      assertEquals(
          List.of("a: [a@1, a@2, a@3]", "b: [b@1, b@2, b@3]", "c: [c@1, c@2]"),
          duckDb.strings(
              "SELECT k || ': ' || CAST(list_transform(events, e -> e.payload) AS VARCHAR) FROM"
                  + " read_parquet('"
                  + out.resolve("part-*.parquet")
                  + "') ORDER BY k"));
      duckDb.judge(input.resolve("mini.parquet").toString(), out, "k", "ts").assertCorrect();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FlinkRunner", "DirectRunner"})
  void generatedEventsSpillingToDisk(String runner) throws Exception {
    Path input = temp.resolve("gen");
    assertEquals(
        ExitStatus.DONE,
        CliRun.of(
                new BundledRunners(),
                "generate",
                "--output=" + input,
                "--events=60000",
                "--files=3")
            .status);
    Path out = temp.resolve("out");
    CliRun run =
        CliRun.of(
            new BundledRunners(),
            "run",
            "--input=" + input.resolve("*.parquet"),
            "--output=" + out,
            "--runner=" + runner,
            "--parallelism=2",
            // 1 MB per sorter: every shard spills.
            "--sortMemoryMb=1",
            "--spillDirectory=" + temp.resolve("spill"));
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    assertTrue(run.out.contains("read 60,000 rows from 3 files"), run.toString());
    assertMatchesDuckDb(input, out);
  }
}
