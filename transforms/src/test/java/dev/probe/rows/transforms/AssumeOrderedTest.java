package dev.probe.rows.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run-shipping path gives DuckDB's exact ordered lists on every layout, and sees disorder. */
@ExtendWith(TestPipelineExtension.class)
class AssumeOrderedTest {
  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource({"sorted, false", "interleaved, false", "shuffled, true"})
  void runsAreMergedIntoDuckDbsOrderedLists(
      String layout, boolean violationsExpected, TestPipeline pipeline) throws Exception {
    Path input = TestInputs.duckDbLayout(temp.resolve("in"), layout);
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    InputPlan plan = InputPlan.of(input.resolve("*.parquet").toString());
    ProbeRowSchema schema = ProbeRowSchema.of(plan.schema(), "src_addr", "event_time", List.of());
    pipeline.apply(
        ProbeRows.from(plan, schema)
            .to(OutputDirectory.at(temp.resolve("out").toString()))
            .withNumShards(3)
            .withAssumeOrdered(true)
            .withSorter(
                BufferedExternalSorter.options()
                    .withTempLocation(temp.resolve("spill").toString())
                    .withMemoryMB(1)));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    try (DuckDb duckDb = new DuckDb()) {
      DuckDb.Verdict verdict =
          duckDb.judge(
              input.resolve("*.parquet").toString(), temp.resolve("out"), "src_addr", "event_time");
      verdict.assertCorrect();
    }
    long violations = counter(result, ProbeRowsMetrics.ORDER_VIOLATIONS);
    assertEquals(violationsExpected, violations > 0, "order violations: " + violations);
    if (layout.equals("interleaved")) {
      assertTrue(
          counter(result, ProbeRowsMetrics.KEYS_INTERLEAVED) > 0,
          "interleaved runs were not merged");
    }
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ProbeRowsMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
