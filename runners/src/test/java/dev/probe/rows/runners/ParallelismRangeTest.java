package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.ExitStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --parallelism outside 1 to 4 per core (at most 16) is a usage error before any work. */
class ParallelismRangeTest {
  @ParameterizedTest
  @CsvSource({"FlinkRunner, 0", "FlinkRunner, -2", "FlinkRunner, 1000", "DirectRunner, 1000"})
  void outOfRangeIsOneLineWithTheRange(String runner, int parallelism) {
    int max = Math.min(16, 4 * Runtime.getRuntime().availableProcessors());
    CliRun run =
        CliRun.of(
            new BundledRunners(),
            "run",
            "--input=never-read/*.parquet",
            "--output=never-written",
            "--runner=" + runner,
            "--parallelism=" + parallelism);
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertEquals(
        "probe-rows: --parallelism must be between 1 and "
            + max
            + " (4 per core, at most 16, for workers in this JVM), got "
            + parallelism
            + " (see probe-rows --help)",
        run.err.strip());
  }
}
