package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.parquet.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
  @TempDir Path temp;

  @BeforeAll
  static void localFileSystem() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Test
  void readersRecordEachRowGroupForTheCommit() throws Exception {
    OutputDirectory output = OutputDirectory.at(temp.resolve("out").toString());
    SliceSummary first =
        new SliceSummary(0, 0, 0, 100, 0, new Fingerprint(100, -7), null, null, Fingerprint.NONE);
    SliceSummary second =
        new SliceSummary(
            1,
            3,
            2,
            50,
            2,
            new Fingerprint(48, 12345),
            "/tmp/rejects\twith a tab",
            "own-keys-00001-00003.parquet",
            new Fingerprint(40, Long.MIN_VALUE));
    SliceSummary third =
        new SliceSummary(
            2,
            0,
            0,
            7,
            7,
            new Fingerprint(0, 0),
            "/tmp/rejects\nwith a line break",
            null,
            Fingerprint.NONE);
    output.recordSlices("run", List.of(first, second));
    output.recordSlices("run", List.of(third));
    output.recordSlices("run", List.of());
    // What a reader that died mid-write leaves: never read as a summary.
    Files.writeString(
        Path.of(output.temporaryFile("run", "slices-x.partial").toString()), "2\t0");

    assertEquals(3, output.recordedSlices("run").size());
    assertEquals(Set.of(first, second, third), Set.copyOf(output.recordedSlices("run")));
  }

  @Test
  void aRowGroupWithoutSummaryStopsTheCommit() throws Exception {
    OutputDirectory output = OutputDirectory.at(temp.resolve("out").toString());
    output.recordSlices(
        "run",
        List.of(
            new SliceSummary(
                0, 0, 0, 100, 0, new Fingerprint(100, 0), null, null, Fingerprint.NONE)));
    // The input had 150 rows: the other row group's 50 were never accounted for.
    SelfCheckFailed lost =
        assertThrows(SelfCheckFailed.class, () -> output.commit("run", List.of(), 150, 1, null));
    assertTrue(lost.getMessage().contains("150 rows but 100 were read"), lost.getMessage());
    // Nothing was published; the staging folder, beside the output, is the run's to remove.
    assertFalse(Files.exists(temp.resolve("out")));
    try (Stream<Path> files = Files.list(temp.resolve(".out.probe-rows"))) {
      assertEquals(
          Set.of("run"),
          files.map(file -> file.getFileName().toString()).collect(Collectors.toSet()));
    }
  }
}
