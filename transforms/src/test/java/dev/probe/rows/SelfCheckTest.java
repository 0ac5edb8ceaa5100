package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.TestInputs;
import dev.probe.rows.testing.TestPipelineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The self-check refuses to publish an output whose events are not the events read: a fault swaps
 * the payloads of two events, in the merged shards or in the files readers write themselves, on
 * assembled and on flat columns, and the commit publishes nothing.
 */
@ExtendWith(TestPipelineExtension.class)
class SelfCheckTest {
  private static final List<String> FLAT_COLUMNS =
      List.of("event_time", "day", "amount", "small", "flag", "payload", "t_ns");

  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource({
    "false, shards, all, sorted",
    "false, shards, flat, sorted",
    "true, shards, all, sorted",
    "true, ownKeys, all, sorted",
    "true, ownKeys, flat, sorted",
    "true, ownKeys, all, bucketed",
    "true, ownKeys, flat, bucketed"
  })
  void swappedPayloadsAreNotPublished(
      boolean assumeOrdered, String faultIn, String columns, String layout, TestPipeline pipeline)
      throws Exception {
    // Sorted files write the keys each row group alone holds; bucketed ones merge key ranges.
    Path input =
        layout.equals("bucketed")
            ? TestInputs.bucketedSortedFiles(temp.resolve("in"), false)
            : TestInputs.duckDbLayout(temp.resolve("in"), "sorted");
    Path out = temp.resolve("out");
    // An earlier output, which a failed commit must leave as it is.
    Files.createDirectories(out);
    Files.writeString(out.resolve("part-00000-of-00001.parquet"), "earlier rows");
    Files.writeString(out.resolve(OutputDirectory.SUCCESS), "");

    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    InputPlan plan = InputPlan.of(input.resolve("*.parquet").toString());
    ProbeRowSettings settings =
        ProbeRowSettings.of(
                ProbeRowSchema.of(
                    plan.schema(),
                    "src_addr",
                    "event_time",
                    !columns.equals("flat")
                        ? List.of()
                        : layout.equals("bucketed") ? List.of("event_time", "payload") : FLAT_COLUMNS),
                OutputDirectory.at(out.toString()))
            .withNumShards(2)
            .withAssumeOrdered(assumeOrdered)
            .withSorter(
                BufferedExternalSorter.options()
                    .withTempLocation(temp.resolve("spill").toString())
                    .withMemoryMB(1));
    pipeline.apply(
        ParquetProbeRows.from(
            plan,
            faultIn.equals("shards")
                ? settings.withShardPayloadsSwapped()
                : settings.withOwnKeysPayloadsSwapped()));

    Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());
    SelfCheckFailed selfCheck = selfCheckFailure(failure);
    assertNotNull(selfCheck, () -> "not a self-check failure: " + failure);
    assertTrue(selfCheck.getMessage().contains("but wrote"), selfCheck.getMessage());
    assertEquals(
        Map.of("part-00000-of-00001.parquet", "earlier rows", OutputDirectory.SUCCESS, ""),
        publishedFiles(out));
  }

  private static SelfCheckFailed selfCheckFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SelfCheckFailed) {
        return (SelfCheckFailed) cause;
      }
    }
    return null;
  }

  /** The output folder's files and their contents. */
  private static Map<String, String> publishedFiles(Path out) throws Exception {
    try (Stream<Path> files = Files.list(out)) {
      return files
          .collect(
              Collectors.toMap(
                  file -> file.getFileName().toString(),
                  file -> {
                    try {
                      return Files.readString(file);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
  }
}
