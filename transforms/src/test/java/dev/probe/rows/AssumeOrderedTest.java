package dev.probe.rows;

import static dev.probe.rows.ProbeRowsMetrics.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import dev.probe.rows.testing.TestPipelineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run-shipping path gives DuckDB's exact ordered lists on every layout, and sees disorder. */
@ExtendWith(TestPipelineExtension.class)
class AssumeOrderedTest {
  @TempDir Path temp;

  /**
   * On every layout the output is DuckDB's. Sorted files, whose row groups' key ranges only meet at
   * their ends, write their inner keys where they are read; interleaved files overlap, so nothing
   * is written that way; the shuffled file alone could, but its rows are out of order, so it ships
   * its keys after all.
   */
  @ParameterizedTest
  @CsvSource({
    "sorted, 0, false, 3, 0",
    "sorted, 2, false, 3, 0",
    "interleaved, 0, false, 0, 0",
    "shuffled, 0, true, 0, 1"
  })
  void runsAreMergedIntoDuckDbsOrderedLists(
      String layout,
      long maxEventsPerRow,
      boolean violationsExpected,
      long rowGroupsWritingOwnKeys,
      long rowGroupsAbandoningOwnKeys,
      TestPipeline pipeline)
      throws Exception {
    Path input = TestInputs.duckDbLayout(temp.resolve("in"), layout);
    PipelineResult result = runAssumingOrder(pipeline, input, maxEventsPerRow, List.of());

    assertMatchesDuckDb(input);
    long violations = counter(result, ProbeRowsMetrics.ORDER_VIOLATIONS);
    assertEquals(violationsExpected, violations > 0, "order violations: " + violations);
    if (layout.equals("interleaved")) {
      assertTrue(
          counter(result, ProbeRowsMetrics.KEYS_INTERLEAVED) > 0,
          "interleaved runs were not merged");
    }
    assertEquals(
        rowGroupsWritingOwnKeys, counter(result, ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN));
    assertEquals(
        rowGroupsAbandoningOwnKeys,
        counter(result, ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_ABANDONED));
  }

  /**
   * Flat event columns go straight from the input's column readers into the reader's own file,
   * neither assembled nor encoded: every type, nulls, rejected rows between a key's events, and
   * chunks.
   */
  @ParameterizedTest
  @CsvSource({"0", "2"})
  void flatEventColumnsAreWrittenStraightThrough(long maxEventsPerRow, TestPipeline pipeline)
      throws Exception {
    Path input = TestInputs.duckDbLayout(temp.resolve("in"), "sorted");
    List<String> flat =
        List.of(
            "event_time",
            "day",
            "amount",
            "small",
            "tiny",
            "ratio",
            "flag",
            "seq",
            "payload",
            "t_ms",
            "t_ns",
            "t_tz");
    PipelineResult result = runAssumingOrder(pipeline, input, maxEventsPerRow, flat);

    try (DuckDb duckDb = new DuckDb()) {
      duckDb
          .judge(
              input.resolve("*.parquet").toString(),
              temp.resolve("out"),
              "src_addr",
              "event_time",
              flat)
          .assertCorrect();
    }
    assertEquals(3, counter(result, ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN));
    assertTrue(counter(result, ProbeRowsMetrics.REJECTED_NULL_SORT) > 0, "no rejected rows");
  }

  /**
   * A key inside a row group's own range is written by its reader however many events it has: they
   * stream into the file, none is held.
   */
  @Test
  void anOwnKeyOfAnySizeIsWrittenByItsReader(TestPipeline pipeline) throws Exception {
    Path input = temp.resolve("giant");
    Files.createDirectories(input);
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.execute(
          "COPY (SELECT CASE WHEN i < 10 THEN 'a' WHEN i < 30010 THEN 'giant' ELSE 'k' || (i % 500)"
              + " END AS src_addr, TIMESTAMP '2024-01-01' + to_seconds(i % 7919) AS event_time,"
              + " repeat('x', 60) AS payload FROM range(40000) t(i) ORDER BY src_addr, event_time)"
              + " TO '"
              + input.resolve("part-0.parquet")
              + "' (FORMAT PARQUET)");
    }
    PipelineResult result = runAssumingOrder(pipeline, input, 0, List.of());

    assertMatchesDuckDb(input);
    assertEquals(1, counter(result, ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN));
    try (DuckDb duckDb = new DuckDb()) {
      // Three shards' files, then the reader's own, which holds every key but the two at its row
      // group's ends ('a' and 'k99'), which neighbouring row groups could share.
      String ownFile = temp.resolve("out").resolve("part-00003-of-00004.parquet").toString();
      assertEquals(
          30_000,
          duckDb.count("SELECT sum(event_count) FROM '" + ownFile + "' WHERE src_addr = 'giant'"));
      assertEquals(500, duckDb.count("SELECT count(DISTINCT src_addr) FROM '" + ownFile + "'"));
    }
  }

  /**
   * Files each sorted by key, keys dealt to them by hash: every file spans every key, so no row
   * group holds a key alone, and key ranges are merged from all three files instead, with no
   * shuffle. Where one file's times run backwards within its keys, its statistics still look sorted:
   * the merge meets the disorder, and its key ranges ship their rows after all.
   */
  @ParameterizedTest
  @CsvSource({"false, 0", "false, 3", "true, 0"})
  void filesEachSortedByKeyAreMergedByKeyRange(
      boolean secondFileBackwards, long maxEventsPerRow, TestPipeline pipeline) throws Exception {
    Path input = TestInputs.bucketedSortedFiles(temp.resolve("in"), secondFileBackwards);
    PipelineResult result = runAssumingOrder(pipeline, input, maxEventsPerRow, List.of());

    assertMatchesDuckDb(input);
    long merged = counter(result, ProbeRowsMetrics.KEY_RANGES_MERGED);
    long fellBack = counter(result, ProbeRowsMetrics.KEY_RANGES_FALLEN_BACK);
    assertTrue(merged + fellBack >= 2, "key ranges: " + merged + " merged, " + fellBack + " not");
    assertEquals(secondFileBackwards, fellBack > 0, "key ranges falling back: " + fellBack);
    assertEquals(
        secondFileBackwards,
        counter(result, ProbeRowsMetrics.ORDER_VIOLATIONS) > 0,
        "order violations");
    assertEquals(0, counter(result, ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN));
    try (DuckDb duckDb = new DuckDb()) {
      String rows = "read_parquet('" + input.resolve("*.parquet") + "')";
      assertEquals(
          duckDb.count("SELECT count(*) FROM " + rows + " WHERE src_addr IS NULL"),
          counter(result, ProbeRowsMetrics.REJECTED_NULL_KEY));
      assertEquals(
          duckDb.count(
              "SELECT count(*) FROM " + rows + " WHERE src_addr IS NOT NULL AND event_time IS NULL"),
          counter(result, ProbeRowsMetrics.REJECTED_NULL_SORT));
      assertEquals(60_000, counter(result, ProbeRowsMetrics.ROWS_READ));
    }
  }

  private PipelineResult runAssumingOrder(
      TestPipeline pipeline, Path input, long maxEventsPerRow, List<String> columns) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    InputPlan plan = InputPlan.of(input.resolve("*.parquet").toString());
    ProbeRowSchema schema = ProbeRowSchema.of(plan.schema(), "src_addr", "event_time", columns);
    pipeline.apply(
        ParquetProbeRows.from(
            plan,
            ProbeRowSettings.of(schema, OutputDirectory.at(temp.resolve("out").toString()))
                .withNumShards(3)
                .withAssumeOrdered(true)
                .withMaxEventsPerRow(maxEventsPerRow)
                .withSorter(
                    BufferedExternalSorter.options()
                        .withTempLocation(temp.resolve("spill").toString())
                        .withMemoryMB(1))));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  private void assertMatchesDuckDb(Path input) throws Exception {
    try (DuckDb duckDb = new DuckDb()) {
      duckDb
          .judge(
              input.resolve("*.parquet").toString(), temp.resolve("out"), "src_addr", "event_time")
          .assertCorrect();
    }
  }
}
