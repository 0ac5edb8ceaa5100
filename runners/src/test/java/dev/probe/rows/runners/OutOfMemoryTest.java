package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.testing.TestInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A heap too small for the run, on each runner: one line, its own exit status, nothing published. */
class OutOfMemoryTest {
  @TempDir Path temp;

  @ParameterizedTest
  // Embedded Flink runs out of direct memory for its network buffers, the DirectRunner out of heap.
  @CsvSource({"FlinkRunner, 64m, 64 MB, 128m", "DirectRunner, 32m, 32 MB, 64m"})
  void aTooSmallHeapIsOneLineSayingHowToGiveMore(String runner, String heap, String heapSaid, String more)
      throws Exception {
    Path out = temp.resolve("out");
    ForkedRun run =
        ForkedRun.of(
            temp,
            List.of("-Xmx" + heap),
            "run",
            "--input=" + TestInputs.testdata().resolve("events/*.parquet"),
            "--output=" + out,
            "--runner=" + runner,
            "--spillDirectory=" + temp);
    assertEquals(ExitStatus.OUT_OF_MEMORY.code(), run.status, run.toString());
    List<String> lines = run.err.lines().filter(line -> !line.isBlank()).toList();
    assertEquals(1, lines.size(), run.toString());
    assertTrue(lines.get(0).startsWith("probe-rows: out of "), run.toString());
    assertTrue(lines.get(0).contains("with a heap of " + heapSaid), run.toString());
    assertTrue(lines.get(0).contains("JAVA_OPTS=-Xmx" + more), run.toString());
    try (Stream<Path> left = Files.exists(out) ? Files.list(out) : Stream.empty()) {
      assertEquals(List.of(), left.toList(), "nothing may be published");
    }
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
  }
}
