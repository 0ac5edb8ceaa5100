package dev.probe.rows.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run owns its output: one writer at a time, only probe rows where readers look, and nothing
 * left behind by a run that ended without cleaning up once the next one takes over.
 */
class OutputOwnershipTest {
  private static final String IN_USE =
      "probe-rows: --output=%s/ is in use by run \\S+ of \\S+@\\S+ \\(pid \\d+\\), started \\S+,"
          + " \\d+ (s|min) ago; wait for it to end, or, if it is gone, delete \\S+claim-\\S+";

  private static final String ALREADY_WRITTEN =
      "probe-rows: --output=%s/ already holds probe rows; pass --overwrite to replace them (see"
          + " probe-rows --help)";

  @TempDir Path temp;

  private static CliRun cli(String... args) {
    return CliRun.of(new DirectRunnerSupport(), args);
  }

  private String[] run(Path input, Path out, String... extra) {
    return Stream.concat(
            Stream.of(
                "run",
                "--input=" + input + "/*.parquet",
                "--output=" + out,
                "--spillDirectory=" + temp.resolve("spill")),
            Stream.of(extra))
        .toArray(String[]::new);
  }

  @Test
  void ofTwoConcurrentRunsExactlyOneWritesTheOutput() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        Path out = temp.resolve("out-" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CliRun>> runs = new ArrayList<>();
        // Different shard counts: the folder's files tell whose answer it holds.
        for (int shards : new int[] {2, 3}) {
          String[] args = run(input, out, "--numShards=" + shards, "--assumeOrdered=false");
          runs.add(
              threads.submit(
                  () -> {
                    start.await();
                    return cli(args);
                  }));
        }
        start.countDown();
        CliRun two = runs.get(0).get();
        CliRun three = runs.get(1).get();
        String both = two + "\n" + three;
        assertTrue(
            (two.status == ExitStatus.DONE) != (three.status == ExitStatus.DONE),
            "exactly one run must succeed:\n" + both);
        CliRun loser = two.status == ExitStatus.DONE ? three : two;
        int winnerShards = two.status == ExitStatus.DONE ? 2 : 3;
        assertEquals(1, loser.err.lines().count(), both);
        // Refused while the winner runs, or, when the winner ended before the loser looked, for
        // the output the winner left: both are the refusal of a run without --overwrite.
        boolean refusedInUse =
            loser.status == ExitStatus.INPUT_ERROR
                && loser.err.strip().matches(String.format(IN_USE, out));
        boolean refusedAsWritten =
            loser.status == ExitStatus.USAGE_ERROR
                && loser.err.strip().equals(String.format(ALREADY_WRITTEN, out));
        assertTrue(refusedInUse || refusedAsWritten, both);

        assertEquals(
            IntStream.range(0, winnerShards)
                .mapToObj(shard -> String.format("part-%05d-of-%05d.parquet", shard, winnerShards))
                .collect(Collectors.toSet()),
            names(out).stream().filter(n -> !n.equals("_SUCCESS")).collect(Collectors.toSet()),
            both);
        assertTrue(names(out).contains("_SUCCESS"), both);
        try (DuckDb duckDb = new DuckDb()) {
          duckDb.judge(input + "/*.parquet", out, "src_addr", "event_time").assertCorrect();
        }
        assertFalse(Files.exists(workFolder(out)), both);
        assertEquals(Set.of(), names(temp.resolve("spill")), both);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void readersOfTheOutputFolderFindExactlyTheProbeRows() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    CliRun run = cli(run(input, out));
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    Path rejects = temp.resolve("out-rejects");
    assertTrue(run.out.contains(" to " + rejects + "/\n"), run.toString());

    assertTrue(
        names(out).stream().allMatch(n -> n.equals("_SUCCESS") || n.matches("part-.*\\.parquet")),
        names(out).toString());
    assertFalse(Files.exists(workFolder(out)));
    try (DuckDb duckDb = new DuckDb()) {
      long keys =
          duckDb.count(
              "SELECT count(DISTINCT src_addr) FROM read_parquet('"
                  + input
                  + "/*.parquet') WHERE src_addr IS NOT NULL AND event_time IS NOT NULL");
      long rejected =
          duckDb.count(
              "SELECT count(*) FROM read_parquet('"
                  + input
                  + "/*.parquet') WHERE src_addr IS NULL OR event_time IS NULL");
      assertTrue(rejected > 0);
      for (String glob : List.of("/**/*.parquet", "/*.parquet")) {
        assertEquals(
            keys, duckDb.count("SELECT count(*) FROM read_parquet('" + out + glob + "')"), glob);
      }
      assertEquals(
          rejected, duckDb.count("SELECT count(*) FROM read_parquet('" + rejects + "/*.parquet')"));
    }
  }

  @Test
  void rejectsGoWhereAsked() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    CliRun inside = cli(run(input, out, "--rejectsOutput=" + out.resolve("rejects")));
    assertEquals(ExitStatus.USAGE_ERROR, inside.status, inside.toString());
    assertFalse(Files.exists(out));

    Path rejects = temp.resolve("elsewhere/rejected");
    CliRun run = cli(run(input, out, "--rejectsOutput=" + rejects));
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    assertTrue(run.out.contains(" to " + rejects + "/\n"), run.toString());
    assertFalse(Files.exists(temp.resolve("out-rejects")));
    try (DuckDb duckDb = new DuckDb()) {
      assertTrue(duckDb.count("SELECT count(*) FROM read_parquet('" + rejects + "/*.parquet')") > 0);
    }
  }

  @Test
  void aRunThatEndedWithoutCleaningUpIsReportedAndTakenOverWithOverwrite() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    // What kill -9 leaves: its claim, its staging folder, its spill folder, maybe some part files.
    Path spill = Files.createDirectories(temp.resolve("spill/probe-rows-deadrun"));
    Files.writeString(spill.resolve("sort-1.tmp"), "spilled");
    Path staging = Files.createDirectories(workFolder(out).resolve("deadrun"));
    Files.writeString(staging.resolve("part-00000-of-00002.parquet.x"), "half a shard");
    Files.createDirectories(out);
    Files.writeString(out.resolve("part-00000-of-00002.parquet"), "published before the kill");
    writeClaim(out, "deadrun", localHost(), ended.pid(), spill);

    CliRun reported = cli(run(input, out));
    assertEquals(ExitStatus.INPUT_ERROR, reported.status, reported.toString());
    assertEquals(
        String.format(
            "probe-rows: --output=%s/ was left by run deadrun of tester@%s (pid %d), started %s,"
                + " 5 min ago, which ended without cleaning up; rerun with --overwrite to take it"
                + " over",
            out, localHost(), ended.pid(), STARTED),
        reported.err.strip(),
        reported.toString());
    assertTrue(Files.exists(staging), "a report removes nothing");

    CliRun takenOver = cli(run(input, out, "--overwrite"));
    assertEquals(ExitStatus.DONE, takenOver.status, takenOver.toString());
    assertFalse(Files.exists(workFolder(out)), takenOver.toString());
    assertEquals(Set.of(), names(temp.resolve("spill")), takenOver.toString());
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.judge(input + "/*.parquet", out, "src_addr", "event_time").assertCorrect();
    }
  }

  /** --overwrite never breaks the claim of a run it cannot know has ended. */
  @Test
  void aClaimFromAnotherMachineIsNeverTakenOver() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    writeClaim(out, "elsewhere", "another-host", 1, temp.resolve("spill/probe-rows-elsewhere"));
    CliRun run = cli(run(input, out, "--overwrite"));
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(run.err.strip().matches(String.format(IN_USE, out)), run.toString());
    assertTrue(run.err.contains("of tester@another-host (pid 1)"), run.toString());
    assertTrue(Files.exists(workFolder(out).resolve("claim-elsewhere")));
    assertFalse(Files.exists(out));
  }

  private static final Instant STARTED = Instant.now().minus(Duration.ofMinutes(5).plusSeconds(3));

  private static void writeClaim(Path out, String runId, String host, long pid, Path spill)
      throws Exception {
    Files.createDirectories(workFolder(out));
    Files.writeString(
        workFolder(out).resolve("claim-" + runId),
        String.join(
            "\n",
            "run=" + runId,
            "user=tester",
            "host=" + host,
            "pid=" + pid,
            "started=" + STARTED,
            "spill=" + spill,
            ""));
  }

  private static String localHost() throws Exception {
    return InetAddress.getLocalHost().getHostName();
  }

  private static Path workFolder(Path out) {
    return out.resolveSibling("." + out.getFileName() + ".probe-rows");
  }

  private static Set<String> names(Path folder) throws Exception {
    if (!Files.exists(folder)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
