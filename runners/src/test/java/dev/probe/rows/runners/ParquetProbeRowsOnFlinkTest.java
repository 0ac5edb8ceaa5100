package dev.probe.rows.runners;

import static dev.probe.rows.ProbeRowsMetrics.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.InputPlan;
import dev.probe.rows.OutputDirectory;
import dev.probe.rows.ParquetProbeRows;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.ProbeRowSettings;
import dev.probe.rows.ProbeRowsMetrics;
import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import dev.probe.rows.testing.TestPipelineExtension;
import dev.probe.rows.testing.TestPipelineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parquet files in, probe-row files out, on embedded Flink with two workers, written only against
 * the public API ({@code dev.probe.rows}): what a user composing {@link ParquetProbeRows} into
 * their own Flink pipeline gets. Each output is judged against DuckDB's ordered lists.
 */
@ExtendWith(TestPipelineExtension.class)
@TestPipelineOptions({"--runner=FlinkRunner", "--parallelism=2"})
class ParquetProbeRowsOnFlinkTest {
  @TempDir Path temp;

  /**
   * The sorting path with a sorter of 1 MB, which spills; and the run-shipping path on sorted
   * files, whose row groups write their inner keys where they read them, on interleaved files,
   * whose runs it merges, and on shuffled files, whose disorder it sees and sorts.
   */
  @ParameterizedTest
  @CsvSource({
    "shuffled, false, 2, 0",
    "sorted, true, 2, 3",
    "interleaved, true, 0, 0",
    "shuffled, true, 0, 0"
  })
  void readGroupWriteMatchesDuckDb(
      String layout,
      boolean assumeOrdered,
      long maxEventsPerRow,
      long rowGroupsWritingOwnKeys,
      TestPipeline pipeline)
      throws Exception {
    Path input = TestInputs.duckDbLayout(temp.resolve("in"), layout);
    Path out = temp.resolve("out");
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    InputPlan plan = InputPlan.of(input.resolve("*.parquet").toString());
    ProbeRowSchema schema = ProbeRowSchema.of(plan.schema(), "src_addr", "event_time", List.of());
    int numShards = 3;
    PCollection<String> committed =
        pipeline.apply(
            ParquetProbeRows.from(
                plan,
                ProbeRowSettings.of(schema, OutputDirectory.at(out.toString()))
                    .withNumShards(numShards)
                    .withAssumeOrdered(assumeOrdered)
                    .withMaxEventsPerRow(maxEventsPerRow)
                    .withSorter(
                        BufferedExternalSorter.options()
                            .withTempLocation(temp.resolve("spill").toString())
                            .withMemoryMB(1))));
    PAssert.that(committed)
        .containsInAnyOrder(partFiles(out, numShards + (int) rowGroupsWritingOwnKeys));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    try (DuckDb duckDb = new DuckDb()) {
      duckDb
          .judge(input.resolve("*.parquet").toString(), out, "src_addr", "event_time")
          .assertCorrect();
    }
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(plan.rowCount(), counter(result, ProbeRowsMetrics.ROWS_READ));
    assertEquals(
        rowGroupsWritingOwnKeys, counter(result, ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN));
  }

  /** Shards' files and row groups' own files are numbered as one set of parts. */
  private static List<String> partFiles(Path out, int numShards) {
    List<String> parts = new ArrayList<>();
    for (int shard = 0; shard < numShards; shard++) {
      parts.add(out.resolve(OutputDirectory.partName(shard, numShards)).toString());
    }
    return parts;
  }
}
