package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.DuckDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped half-way, by SIGTERM (what Ctrl-C's shutdown does too) or SIGKILL, leaves no
 * probe-row files, and a rerun with --overwrite completes. Runs the shaded jar, as a user does.
 */
class InterruptedRunIT {
  private static final int EVENTS = 1_000_000;
  private static Path jar;
  private static Path input;

  @TempDir static Path temp;

  @BeforeAll
  static void generate() throws Exception {
    Path repo = Paths.get("").toAbsolutePath().getParent();
    jar = repo.resolve("runners/target/probe-rows.jar");
    assertTrue(
        Files.isRegularFile(jar), jar + " is missing: build it with `mvn install -DskipTests`");
    input = temp.resolve("in");
    Process generate =
        command("generate", "--output=" + input, "--events=" + EVENTS, "--files=2").start();
    assertEquals(0, generate.waitFor(), "generate failed");
  }

  private static ProcessBuilder command(String... args) {
    List<String> command =
        Stream.concat(
                Stream.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    jar.toString()),
                Stream.of(args))
            .collect(Collectors.toList());
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static Process startRun(Path out, String... extra) throws IOException {
    List<String> args =
        Stream.concat(
                Stream.of(
                    "run",
                    "--input=" + input.resolve("*.parquet"),
                    "--output=" + out,
                    "--spillDirectory=" + temp.resolve("spill")),
                Stream.of(extra))
            .collect(Collectors.toList());
    // Output to a file: a full pipe would stall the run while the test polls the folder.
    return command(args.toArray(new String[0]))
        .redirectOutput(temp.resolve("run-" + out.getFileName() + ".log").toFile())
        .start();
  }

  /** The folder beside the output with the run's claim and staging folder. */
  private static Path workFolder(Path out) {
    return out.resolveSibling("." + out.getFileName() + ".probe-rows");
  }

  /** Waits until the run is writing shards: files exist in its staging folder. */
  private static void awaitWriting(Process run, Path out) throws Exception {
    Path temporary = workFolder(out);
    while (run.isAlive()) {
      if (Files.exists(temporary)) {
        try (Stream<Path> files = Files.walk(temporary)) {
          // Below the run's staging folder, not its claim beside it.
          int staged = temporary.getNameCount() + 2;
          if (files.anyMatch(f -> Files.isRegularFile(f) && f.getNameCount() >= staged)) {
            return;
          }
        } catch (IOException | UncheckedIOException e) {
          // The writer creates files while we walk; look again.
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the run ended before it wrote anything: " + printed(run));
  }

  private static String printed(Process run) throws Exception {
    run.waitFor(5, TimeUnit.MINUTES);
    StringBuilder text = new StringBuilder();
    try (Stream<Path> logs = Files.list(temp)) {
      for (Path log :
          logs.filter(f -> f.toString().endsWith(".log")).collect(Collectors.toList())) {
        text.append(log).append(":\n").append(Files.readString(log));
      }
    }
    return text.toString();
  }

  private static List<Path> spillFolders() throws IOException {
    Path spill = temp.resolve("spill");
    if (!Files.exists(spill)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(spill)) {
      return folders.collect(Collectors.toList());
    }
  }

  private static List<String> visibleFiles(Path out) throws IOException {
    if (!Files.exists(out)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(out)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.startsWith("part-") || name.equals("_SUCCESS"))
          .collect(Collectors.toList());
    }
  }

  private static void assertRerunCompletes(Path out) throws Exception {
    Process rerun = startRun(out, "--overwrite");
    String printed = printed(rerun);
    assertEquals(0, rerun.waitFor(), printed);
    assertFalse(Files.exists(workFolder(out)), printed);
    assertEquals(List.of(), spillFolders(), printed);
    try (DuckDb duckDb = new DuckDb()) {
      assertEquals(
          EVENTS,
          duckDb.count(
              "SELECT sum(event_count) FROM read_parquet('"
                  + out.resolve("part-*.parquet")
                  + "')"));
    }
  }

  @Test
  void terminatedRunLeavesNoProbeRowFilesAndCleansUp() throws Exception {
    Path out = temp.resolve("out-term");
    Process run = startRun(out);
    awaitWriting(run, out);
    run.destroy();
    assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run did not stop on SIGTERM");
    assertNotEquals(0, run.exitValue());
    assertEquals(List.of(), visibleFiles(out));
    assertFalse(Files.exists(workFolder(out)), "SIGTERM left the work folder");
    assertEquals(List.of(), spillFolders(), "SIGTERM left a spill folder");
    assertRerunCompletes(out);
  }

  @Test
  void killedRunLeavesNoProbeRowFiles() throws Exception {
    Path out = temp.resolve("out-kill");
    Process run = startRun(out);
    awaitWriting(run, out);
    run.destroyForcibly();
    run.waitFor(60, TimeUnit.SECONDS);
    assertEquals(List.of(), visibleFiles(out));
    // What kill -9 leaves: its claim, its staging folder and its spill folder.
    assertTrue(Files.exists(workFolder(out)));
    assertEquals(1, spillFolders().size());

    // The next run reports the ended run and stops, until --overwrite takes the output over.
    Process next = startRun(out);
    String printed = printed(next);
    assertEquals(3, next.waitFor(), printed);
    assertTrue(
        printed
            .lines()
            .anyMatch(
                line ->
                    line.matches(
                        "probe-rows: --output="
                            + out
                            + "/ was left by run \\S+ of \\S+@\\S+ \\(pid \\d+\\), started"
                            + " \\S+, \\d+ s ago, which ended without cleaning up; rerun with"
                            + " --overwrite to take it over")),
        printed);
    assertRerunCompletes(out);
  }
}
