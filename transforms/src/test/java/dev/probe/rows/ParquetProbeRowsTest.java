package dev.probe.rows;

import static dev.probe.rows.ProbeRowsMetrics.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import dev.probe.rows.testing.TestPipelineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class ParquetProbeRowsTest {
  @TempDir Path temp;

  private PCollection<String> probeRows(
      TestPipeline pipeline, Path input, String sortColumn, Shards shards, long maxEventsPerRow) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    InputPlan plan = InputPlan.of(input.resolve("*.parquet").toString());
    ProbeRowSchema schema = ProbeRowSchema.of(plan.schema(), "src_addr", sortColumn, List.of());
    return pipeline.apply(
        ParquetProbeRows.from(
            plan,
            ProbeRowSettings.of(schema, OutputDirectory.at(temp.resolve("out").toString()))
                .withShards(shards)
                .withMaxEventsPerRow(maxEventsPerRow)
                // 1 MB forces the sorter to spill for the larger inputs.
                .withSorter(
                    BufferedExternalSorter.options()
                        .withTempLocation(temp.resolve("spill").toString())
                        .withMemoryMB(1))));
  }

  private DuckDb.Verdict judge(Path input, String sortColumn) throws Exception {
    try (DuckDb duckDb = new DuckDb()) {
      return duckDb.judge(
          input.resolve("*.parquet").toString(), temp.resolve("out"), "src_addr", sortColumn);
    }
  }

  @Test
  void duckDbTypedEventsGiveDuckDbsOrderedLists(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    PCollection<String> committed = probeRows(pipeline, input, "event_time", Shards.hashed(3), 0);
    PAssert.that(committed).containsInAnyOrder(partFiles(3));
    pipeline.run().waitUntilFinish();

    judge(input, "event_time").assertCorrect();
    assertTrue(Files.exists(temp.resolve("out/_SUCCESS")));
    assertFalse(Files.exists(temp.resolve(".out.probe-rows")), "work folder left behind");
  }

  /** Workers in this JVM count into the run their settings name, and into no other. */
  @Test
  void workersCountIntoTheWatchedRun(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    InputPlan plan = InputPlan.of(input.resolve("*.parquet").toString());
    ProbeRowSchema schema = ProbeRowSchema.of(plan.schema(), "src_addr", "event_time", List.of());
    try (LiveProgress watched = LiveProgress.watch("watched");
        LiveProgress other = LiveProgress.watch("other")) {
      pipeline.apply(
          ParquetProbeRows.from(
              plan,
              ProbeRowSettings.of(schema, OutputDirectory.at(temp.resolve("out").toString()))
                  .withNumShards(2)
                  .withRunId("watched")
                  .withSorter(
                      BufferedExternalSorter.options()
                          .withTempLocation(temp.resolve("spill").toString()))));
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();

      assertEquals(plan.rowCount(), watched.rowsRead());
      assertEquals(
          counter(result, ProbeRowsMetrics.PROBE_ROWS_WRITTEN), watched.probeRowsWritten());
      assertEquals(counter(result, ProbeRowsMetrics.EVENTS_WRITTEN), watched.eventsWritten());
      assertTrue(watched.eventsWritten() > 0);
      assertEquals(List.of(0L, 0L, 0L), counts(other));
      assertEquals(List.of(0L, 0L, 0L), counts(LiveProgress.UNWATCHED));
    }
  }

  private static List<Long> counts(LiveProgress progress) {
    return List.of(progress.rowsRead(), progress.probeRowsWritten(), progress.eventsWritten());
  }

  private List<String> partFiles(int numShards) {
    List<String> parts = new ArrayList<>();
    for (int shard = 0; shard < numShards; shard++) {
      parts.add(temp.resolve("out").resolve(OutputDirectory.partName(shard, numShards)).toString());
    }
    return parts;
  }

  /** Shards grouped by keys other than their numbers still write their own part files. */
  @Test
  void placedShardsKeepTheirPartNumbers(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Shards placed = Shards.placed(3, new int[][] {{40, 7}, {3}});
    PCollection<String> committed = probeRows(pipeline, input, "event_time", placed, 0);
    PAssert.that(committed).containsInAnyOrder(partFiles(3));
    pipeline.run().waitUntilFinish();
    judge(input, "event_time").assertCorrect();
  }

  @Test
  void sortsByNanosecondTimestamps(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    probeRows(pipeline, input, "t_ns", Shards.hashed(2), 0);
    pipeline.run().waitUntilFinish();
    judge(input, "t_ns").assertCorrect();
  }

  @Test
  void sortsByDates(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    probeRows(pipeline, input, "day", Shards.hashed(2), 0);
    pipeline.run().waitUntilFinish();
    judge(input, "day").assertCorrect();
  }

  @Test
  void longTimelinesAreSplitIntoChunks(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    probeRows(pipeline, input, "event_time", Shards.hashed(2), 7);
    pipeline.run().waitUntilFinish();

    DuckDb.Verdict verdict = judge(input, "event_time");
    verdict.assertCorrect();
    assertTrue(verdict.actualRows > verdict.actualKeys, verdict.toString());
    try (DuckDb duckDb = new DuckDb()) {
      String parts = temp.resolve("out/part-*.parquet").toString();
      assertEquals(
          0,
          duckDb.count("SELECT count(*) FROM read_parquet('" + parts + "') WHERE event_count > 7"));
    }
  }

  @Test
  void shardsWithoutKeysGetEmptyFiles(TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    // ~90 keys over 200 shards: most shards are empty, and still every part file exists.
    probeRows(pipeline, input, "event_time", Shards.hashed(200), 0);
    pipeline.run().waitUntilFinish();
    try (Stream<Path> files = Files.list(temp.resolve("out"))) {
      assertEquals(200, files.filter(f -> f.getFileName().toString().startsWith("part-")).count());
    }
    judge(input, "event_time").assertCorrect();
  }
}
