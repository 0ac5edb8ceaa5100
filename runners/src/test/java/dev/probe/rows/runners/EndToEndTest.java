package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.CliRun;
import dev.probe.rows.pipeline.ExitStatus;
import dev.probe.rows.transforms.DuckDb;
import dev.probe.rows.transforms.TestInputs;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole command on each bundled runner, judged by DuckDB. */
class EndToEndTest {
  @TempDir Path temp;

  private static void assertMatchesDuckDb(Path input, Path out) throws Exception {
    try (DuckDb duckDb = new DuckDb()) {
      DuckDb.Verdict verdict =
          duckDb.judge(input.resolve("*.parquet").toString(), out, "src_addr", "event_time");
      assertTrue(verdict.expectedKeys > 0, verdict.toString());
      assertEquals(verdict.expectedKeys, verdict.actualKeys, verdict.toString());
      assertEquals(0, verdict.keysWithDifferentEvents, verdict.toString());
      assertEquals(0, verdict.unorderedRows, verdict.toString());
      assertEquals(0, verdict.wrongCounts, verdict.toString());
      assertTrue(verdict.typesMatch(), verdict.toString());
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

  @ParameterizedTest
  @ValueSource(strings = {"FlinkRunner", "DirectRunner"})
  void generatedEventsSpillingToDisk(String runner) throws Exception {
    Path input = temp.resolve("gen");
    assertEquals(
        ExitStatus.DONE,
        CliRun.of(new BundledRunners(), "generate", "--output=" + input, "--events=60000", "--files=3")
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
