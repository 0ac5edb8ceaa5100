package dev.probe.rows.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.OptionRange;
import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeRowsCliTest {
  @TempDir Path temp;

  private static CliRun cli(String... args) {
    return CliRun.of(new DirectRunnerSupport(), args);
  }

  private static List<String> partFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.startsWith("part-"))
          .collect(Collectors.toList());
    }
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    CliRun run = cli("--help");
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    for (String option :
        List.of(
            "--input=<required>",
            "--output=<required>",
            "--keyColumn=string (default src_addr)",
            "--sortColumn=string (default event_time)",
            "--assumeOrdered=boolean (default true)",
            "--sortMemoryMb=int (default 0)",
            "--spillDirectory=string",
            "--numShards=int (default 0)",
            "--maxEventsPerRow=long (default 0)",
            "--columns=list",
            "--overwrite=boolean (default false)",
            "--events=long (default 100000)")) {
      assertTrue(run.out.contains(option), option + " missing from\n" + run.out);
    }
  }

  /** AWS's s3:// is not Hadoop's: the line says which schemes work. */
  @Test
  void aSchemeNoFilesystemServesIsOneLine() {
    CliRun run =
        cli("run", "--input=s3://bucket/events/*.parquet", "--output=" + temp.resolve("out"));
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertEquals(
        "probe-rows: no filesystem serves s3:// paths; use a local path, hdfs:// or s3a://",
        run.err.strip(),
        run.toString());
  }

  @Test
  void aHadoopPropertyWithoutAValueIsAUsageError() {
    CliRun run =
        cli(
            "run",
            "--input=" + temp.resolve("in/*.parquet"),
            "--output=" + temp.resolve("out"),
            "--hadoopProperties=fs.s3a.endpoint");
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(run.err.contains("--hadoopProperties takes key=value pairs"), run.toString());
  }

  @Test
  void misspeltOptionGetsTheClosestName() {
    CliRun run = cli("run", "--inptu=x", "--output=y");
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(run.err.contains("unknown option --inptu; did you mean --input?"), run.toString());
    assertEquals(1, run.err.lines().count(), run.toString());
  }

  @Test
  void valueAfterASpaceGetsAHint() {
    CliRun run = cli("run", "--input", "events/*.parquet");
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(run.err.contains("write --input=events/*.parquet"), run.toString());
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    CliRun run = cli("run", "--output=" + temp.resolve("out"));
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(run.err.contains("missing --input"), run.toString());
  }

  @Test
  void outOfRangeSortMemoryIsAUsageError() {
    CliRun run = cli("run", "--input=x", "--output=y", "--sortMemoryMb=4096");
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(
        run.err.contains("--sortMemoryMb must be between 1 and 2047 (or 0: automatic)"),
        run.toString());
  }

  /** Each numeric option's range is in its help text, and a value outside it is one line. */
  @Test
  void everyNumericOptionOutsideItsRangeIsOneLineWithTheRange() {
    String help = cli("--help").out.replaceAll("\\s+", " ");
    for (String range :
        List.of(
            "1 to " + OptionRange.MAX_SORT_MEMORY_MB,
            "1 to " + OptionRange.MAX_NUM_SHARDS + "; 0: four per parallel worker",
            "1 or more; 0: never split")) {
      assertTrue(help.contains(range), range + " missing from\n" + help);
    }
    for (List<String> badAndMessage :
        List.of(
            List.of("--numShards=-1", "--numShards must be between 1 and 10000 (or 0: four per"),
            List.of("--numShards=100000", "--numShards must be between 1 and 10000"),
            List.of("--maxEventsPerRow=-5", "--maxEventsPerRow must be 1 or more (or 0: no limit)"),
            List.of("--sortMemoryMb=-1", "--sortMemoryMb must be between 1 and 2047"),
            // Two workers' sorters would take more than half of the test JVM's 3 GB heap.
            List.of("--sortMemoryMb=1000", "--sortMemoryMb=1000 for each of 2 workers is more"))) {
      CliRun run =
          cli(
              "run",
              "--input=" + temp.resolve("never-read/*.parquet"),
              "--output=" + temp.resolve("out"),
              badAndMessage.get(0));
      assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
      assertTrue(run.err.startsWith("probe-rows: " + badAndMessage.get(1)), run.toString());
      assertEquals(1, run.err.lines().count(), run.toString());
    }
    CliRun diagnose = cli("diagnose", "--input=x", "--numShards=20000");
    assertEquals(ExitStatus.USAGE_ERROR, diagnose.status, diagnose.toString());
  }

  /**
   * The input is a damaged file: a check that read it would fail with an input error, so each
   * output refused with its own message was refused before reading.
   */
  @Test
  void anOutputThatCannotBeTheRunsFolderIsRefusedBeforeTheInputIsRead() throws Exception {
    Path in = Files.createDirectories(temp.resolve("in"));
    Files.writeString(in.resolve("damaged.parquet"), "not parquet");
    String input = "--input=" + in + "/*.parquet";
    Path file = Files.writeString(temp.resolve("a-file"), "x");

    CliRun isAFile = cli("run", input, "--output=" + file);
    assertEquals(ExitStatus.USAGE_ERROR, isAFile.status, isAFile.toString());
    assertEquals(
        "probe-rows: --output=" + file + " is a file; name a new or empty folder (see probe-rows"
            + " --help)",
        isAFile.err.strip());

    CliRun underAFile = cli("run", input, "--output=" + file + "/out");
    assertEquals(ExitStatus.USAGE_ERROR, underAFile.status, underAFile.toString());
    assertTrue(underAFile.err.contains(file + " is a file"), underAFile.toString());

    CliRun insideInput = cli("run", input, "--output=" + in);
    assertEquals(ExitStatus.USAGE_ERROR, insideInput.status, insideInput.toString());
    assertTrue(insideInput.err.contains("is inside --input="), insideInput.toString());
    CliRun insideDeepInput =
        cli("run", "--input=" + temp + "/**.parquet", "--output=" + temp.resolve("x/out"));
    assertTrue(insideDeepInput.err.contains("is inside --input="), insideDeepInput.toString());
    assertEquals("x", Files.readString(file), "the refused output was touched");
  }

  @Test
  void anOutputOnAReadOnlyDiskIsAnOutputErrorBeforeTheInputIsRead() throws Exception {
    Path in = Files.createDirectories(temp.resolve("in"));
    Files.writeString(in.resolve("damaged.parquet"), "not parquet");
    Path readOnly = Files.createDirectories(temp.resolve("ro"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly.toString())
            .start();
    Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (not root?)");
    try {
      CliRun run =
          cli("run", "--input=" + in + "/*.parquet", "--output=" + readOnly.resolve("out"));
      assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
      assertEquals(
          "probe-rows: cannot write --output="
              + readOnly.resolve("out")
              + ": "
              + readOnly
              + " is not writable (read-only disk or permissions)",
          run.err.strip());
    } finally {
      new ProcessBuilder("umount", "-l", readOnly.toString()).start().waitFor();
    }
  }

  @Test
  void anOutputOutsideTheInputIsNotReadAsIt() {
    assertTrue(OutputLocation.readsOwnOutput("/data/**", "/data/out"));
    assertTrue(OutputLocation.readsOwnOutput("/data/out/*", "/data/out/"));
    assertTrue(OutputLocation.readsOwnOutput("s3a://b/data/*/*.parquet", "s3a://b/data/out"));
    assertFalse(OutputLocation.readsOwnOutput("/data/*.parquet", "/data/out"));
    assertFalse(OutputLocation.readsOwnOutput("s3a://b/data/*/*.parquet", "s3a://c/data/out"));
    assertFalse(OutputLocation.readsOwnOutput("hdfs://nn/data/**", "/data/out"));
  }

  @Test
  void moreShardsThanInputRowsIsAWarning() throws Exception {
    Path input = temp.resolve("gen");
    assertEquals(ExitStatus.DONE, cli("generate", "--output=" + input, "--events=20").status);
    CliRun run =
        cli(
            "run",
            "--input=" + input + "/*.parquet",
            "--output=" + temp.resolve("out"),
            "--numShards=30");
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    assertEquals(
        "probe-rows: warning: --numShards=30 is more than the input's 20 rows, so at least 10"
            + " shards get no key",
        run.err.strip());
  }

  @Test
  void globMatchingNothingIsAnInputError() {
    String glob = temp.resolve("nothing/*.parquet").toString();
    CliRun run = cli("run", "--input=" + glob, "--output=" + temp.resolve("out"));
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(run.err.contains("no files match --input=" + glob), run.toString());
  }

  @Test
  void missingKeyColumnListsTheColumnsThatExist() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    CliRun run =
        cli(
            "run",
            "--input=" + input + "/*.parquet",
            "--output=" + temp.resolve("out"),
            "--keyColumn=src");
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(
        run.err.contains("key column 'src' not found; the files have: src_addr, event_time"),
        run.toString());
    assertEquals(List.of(), partFiles(temp.resolve("out")));
  }

  @Test
  void unknownRunnerIsAUsageError() {
    CliRun run = cli("run", "--input=x", "--output=y", "--runner=Sparky");
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(run.err.contains("Unknown 'runner' specified 'Sparky'"), run.toString());
  }

  @Test
  void conflictingSchemasNameBothFiles() throws Exception {
    Path input = Files.createDirectories(temp.resolve("in"));
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.execute(
          "COPY (SELECT 'k' AS src_addr, 1::BIGINT AS event_time) TO '"
              + input.resolve("a.parquet")
              + "'");
      duckDb.execute(
          "COPY (SELECT 'k' AS src_addr, 'x' AS event_time) TO '"
              + input.resolve("b.parquet")
              + "'");
    }
    Path out = temp.resolve("out");
    CliRun run = cli("run", "--input=" + input + "/*.parquet", "--output=" + out);
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(
        run.err.startsWith(
            "probe-rows: files have conflicting schemas: "
                + input.resolve("a.parquet")
                + " and "
                + input.resolve("b.parquet")
                + " differ: column event_time"),
        run.toString());
    assertEquals(List.of(), partFiles(out));
  }

  @Test
  void aSortColumnOfTheWrongTypeSaysWhichTypesWork() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    CliRun run =
        cli(
            "run",
            "--input=" + input + "/*.parquet",
            "--output=" + temp.resolve("out"),
            "--sortColumn=ratio");
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(
        run.err.startsWith(
            "probe-rows: sort column 'ratio' has type DOUBLE; the sort column must be an integer,"
                + " decimal, date, time or timestamp"),
        run.toString());
    assertEquals(List.of(), partFiles(temp.resolve("out")));
  }

  @Test
  void aTruncatedFileIsNamedBeforeWorkStarts() throws Exception {
    Path input = Files.createDirectories(temp.resolve("in"));
    byte[] whole = Files.readAllBytes(TestInputs.testdata().resolve("events/events-00000.parquet"));
    Files.write(input.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length / 2));
    CliRun run = cli("run", "--input=" + input + "/*.parquet", "--output=" + temp.resolve("out"));
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(
        run.err.startsWith(
            "probe-rows: cannot read " + input.resolve("cut.parquet") + " as Parquet"),
        run.toString());
    assertEquals(1, run.err.lines().count(), run.toString());
    assertEquals(List.of(), partFiles(temp.resolve("out")));
  }

  @Test
  void aCorruptPageIsAnInputErrorAndNothingIsCommitted() throws Exception {
    Path input = Files.createDirectories(temp.resolve("in"));
    byte[] bytes = Files.readAllBytes(TestInputs.testdata().resolve("events/events-00000.parquet"));
    // Garbles the first column chunk; the footer stays intact, so the run starts and then fails.
    Arrays.fill(bytes, 5_000, 5_400, (byte) 0xAB);
    Files.write(input.resolve("garbled.parquet"), bytes);
    Path out = temp.resolve("out");
    CliRun run = cli("run", "--input=" + input + "/*.parquet", "--output=" + out);
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(
        run.err.startsWith(
            "probe-rows: cannot read " + input.resolve("garbled.parquet") + " row group 0"),
        run.toString());
    assertEquals(List.of(), partFiles(out));
    assertFalse(Files.exists(temp.resolve(".out.probe-rows")), "work folder left behind");
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void anUnwritableSpillFolderIsAnInputError() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path notAFolder = Files.writeString(temp.resolve("file"), "x");
    CliRun run =
        cli(
            "run",
            "--input=" + input + "/*.parquet",
            "--output=" + temp.resolve("out"),
            "--spillDirectory=" + notAFolder);
    assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
    assertTrue(
        run.err.startsWith(
            "probe-rows: cannot write the spill folder --spillDirectory=" + notAFolder),
        run.toString());
  }

  /** A 1 MB tmpfs as spill folder: the sort fills it. Needs root, as CI and the dev boxes have. */
  @Test
  void aFullSpillDiskIsOneClearLine() throws Exception {
    Path input = temp.resolve("gen");
    assertEquals(
        ExitStatus.DONE,
        cli("generate", "--output=" + input, "--events=60000", "--files=2").status);
    Path small = Files.createDirectories(temp.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
            .start();
    Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a small tmpfs here (not root?)");
    try {
      Path out = temp.resolve("out");
      CliRun run =
          cli(
              "run",
              "--input=" + input + "/*.parquet",
              "--output=" + out,
              "--assumeOrdered=false",
              "--sortMemoryMb=1",
              "--spillDirectory=" + small);
      assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
      assertEquals(
          "probe-rows: the disk of --spillDirectory="
              + small
              + " is full (No space left on device): free space or point --spillDirectory at a"
              + " larger disk; nothing was published",
          run.err.strip(),
          run.toString());
      assertEquals(List.of(), partFiles(out));
      assertFalse(Files.exists(out.resolve("_SUCCESS")));
    } finally {
      // Lazily: the failed sort may still hold its spill file open.
      new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
    }
  }

  /** A 1 MB tmpfs as output folder: the part files fill it. */
  @Test
  void aFullOutputDiskIsOneLineNamingTheOutput() throws Exception {
    Path input = temp.resolve("gen");
    assertEquals(
        ExitStatus.DONE,
        cli("generate", "--output=" + input, "--events=60000", "--files=2").status);
    Path small = Files.createDirectories(temp.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
            .start();
    Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a small tmpfs here (not root?)");
    try {
      CliRun run =
          cli(
              "run",
              "--input=" + input + "/*.parquet",
              "--output=" + small,
              "--spillDirectory=" + temp);
      assertEquals(ExitStatus.INPUT_ERROR, run.status, run.toString());
      assertEquals(
          "probe-rows: the disk of --output="
              + small
              + " is full (No space left on device): free space or choose another folder;"
              + " nothing was published",
          run.err.strip(),
          run.toString());
      assertEquals(List.of(), partFiles(small));
      assertFalse(Files.exists(small.resolve("_SUCCESS")));
    } finally {
      new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
    }
  }

  @Test
  void runningOutOfMemoryNamesWhatToChange() {
    long heap = 64L << 20;
    String onHeap =
        ProbeRowsCli.memoryError(
            new IllegalStateException("job failed", new OutOfMemoryError("Java heap space")),
            heap);
    assertTrue(onHeap.startsWith("out of memory (Java heap space) with a heap of 64 MB: "), onHeap);
    assertTrue(onHeap.contains("JAVA_OPTS=-Xmx128m") && onHeap.contains("--maxEventsPerRow"), onHeap);
    String direct = ProbeRowsCli.memoryError(new OutOfMemoryError("Direct buffer memory"), heap);
    assertTrue(direct.startsWith("out of direct memory with a heap of 64 MB"), direct);
    assertTrue(
        ProbeRowsCli.memoryError(new OutOfMemoryError("x"), 3L << 30).contains("-Xmx6g"));
    assertNull(ProbeRowsCli.memoryError(new IllegalStateException("not memory"), heap));
  }

  @Test
  void aFailedSelfCheckIsOneLineSayingNothingWasPublished() {
    // As Flink reports it: a stand-in of the worker's exception, whose text keeps its class.
    RuntimeException standIn =
        new RuntimeException() {
          @Override
          public String toString() {
            return "dev.probe.rows.SelfCheckFailed: read 10 events (fingerprint 1) but"
                + " wrote 10 events (fingerprint 2)\n\tat somewhere";
          }
        };
    assertEquals(
        "the output failed its self-check (read 10 events (fingerprint 1) but wrote 10 events"
            + " (fingerprint 2)); nothing was published",
        ProbeRowsCli.selfCheckError(new IllegalStateException("job failed", standIn)));
    assertNull(ProbeRowsCli.selfCheckError(new IllegalStateException("not a self-check")));
  }

  @Test
  void damagedStatisticsAreMetWithTheOptionThatDoesNotUseThem() {
    // As Flink reports a worker's exception: a stand-in whose text keeps its class.
    RuntimeException standIn =
        new RuntimeException() {
          @Override
          public String toString() {
            return "dev.probe.rows.parquet.KeyRange$DamagedStatistics: a.parquet row group 0"
                + " holds a key outside the range its footer's statistics give: the file is"
                + " damaged\n\tat somewhere";
          }
        };
    assertEquals(
        "a.parquet row group 0 holds a key outside the range its footer's statistics give: the"
            + " file is damaged; run with --assumeOrdered=false, which does not use them",
        ProbeRowsCli.inputError(new IllegalStateException("job failed", standIn)));
  }

  @Test
  void runOnTheDirectRunnerMatchesDuckDbAndReportsRejects() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    CliRun run = cli("run", "--input=" + input + "/*.parquet", "--output=" + out, "--numShards=3");
    assertEquals(ExitStatus.DONE, run.status, run.toString());

    try (DuckDb duckDb = new DuckDb()) {
      long rejected =
          duckDb.count(
              "SELECT count(*) FROM read_parquet('"
                  + input
                  + "/*.parquet')"
                  + " WHERE src_addr IS NULL OR event_time IS NULL");
      assertTrue(rejected > 0);
      assertTrue(run.out.contains("rejected " + rejected + " rows"), run.toString());
      DuckDb.Verdict verdict = duckDb.judge(input + "/*.parquet", out, "src_addr", "event_time");
      verdict.assertCorrect();
    }
    assertEquals(
        List.of(
            "part-00000-of-00003.parquet",
            "part-00001-of-00003.parquet",
            "part-00002-of-00003.parquet"),
        partFiles(out).stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void rejectedRowsAreKeptWithTheirReasonAndSource() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    CliRun run =
        cli("run", "--input=" + input + "/*.parquet", "--output=" + out, "--assumeOrdered=false");
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    try (DuckDb duckDb = new DuckDb()) {
      String rejects = "read_parquet('" + temp.resolve("out-rejects/*.parquet") + "')";
      String events =
          "read_parquet('" + input + "/*.parquet', filename = true, file_row_number = true)";
      // Every rejected row, with its reason and position, and nothing else.
      String expected =
          "SELECT * EXCLUDE (filename, file_row_number), CASE WHEN src_addr IS NULL THEN 'null_key'"
              + " ELSE 'null_sort' END AS reject_reason, filename AS source_file,"
              + " file_row_number AS source_row FROM "
              + events
              + " WHERE src_addr IS NULL OR event_time IS NULL";
      long rejected = duckDb.count("SELECT count(*) FROM (" + expected + ")");
      assertTrue(rejected > 0);
      assertEquals(
          0,
          duckDb.count("SELECT count(*) FROM (" + expected + " EXCEPT ALL FROM " + rejects + ")"));
      assertEquals(
          0,
          duckDb.count("SELECT count(*) FROM (FROM " + rejects + " EXCEPT ALL " + expected + ")"));
      // Conservation: every input row is an event in a probe row or a rejected row.
      long written =
          duckDb.count(
              "SELECT sum(event_count) FROM read_parquet('" + out.resolve("part-*.parquet") + "')");
      assertEquals(duckDb.count("SELECT count(*) FROM " + events), written + rejected);
    }
  }

  @Test
  void existingOutputIsReplacedOnlyWithOverwrite() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = temp.resolve("out");
    String[] args = {"run", "--input=" + input + "/*.parquet", "--output=" + out, "--numShards=2"};
    assertEquals(ExitStatus.DONE, cli(args).status);

    CliRun again = cli(args);
    assertEquals(ExitStatus.USAGE_ERROR, again.status, again.toString());
    assertTrue(again.err.contains("already holds probe rows; pass --overwrite"), again.toString());

    String[] overwrite = {
      "run", "--input=" + input + "/*.parquet", "--output=" + out, "--numShards=1", "--overwrite"
    };
    CliRun replaced = cli(overwrite);
    assertEquals(ExitStatus.DONE, replaced.status, replaced.toString());
    assertEquals(List.of("part-00000-of-00001.parquet"), partFiles(out));
  }

  @Test
  void folderWithOtherFilesIsRefusedAndLeftAlone() throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = Files.createDirectories(temp.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    CliRun run = cli("run", "--input=" + input + "/*.parquet", "--output=" + out, "--overwrite");
    assertEquals(ExitStatus.USAGE_ERROR, run.status, run.toString());
    assertTrue(
        run.err.contains("holds files probe-rows did not write (" + out.resolve("notes.txt") + ")"),
        run.toString());
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    assertEquals(List.of(), partFiles(out));
  }

  @Test
  void generateWritesTheRequestedEvents() throws Exception {
    Path out = temp.resolve("gen");
    CliRun run = cli("generate", "--output=" + out, "--events=5000", "--files=3", "--sorted");
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    try (DuckDb duckDb = new DuckDb()) {
      String files = out.resolve("*.parquet").toString();
      assertEquals(5000, duckDb.count("SELECT count(*) FROM read_parquet('" + files + "')"));
      assertEquals(
          3,
          duckDb.count(
              "SELECT count(DISTINCT filename) FROM read_parquet('"
                  + files
                  + "', filename = true)"));
      // Sorted: no adjacent pair within the files' order goes back in (src_addr, event_time).
      assertEquals(
          0,
          duckDb.count(
              "SELECT count(*) FROM (SELECT src_addr, event_time, lag(src_addr) OVER w AS pk,"
                  + " lag(event_time) OVER w AS pt FROM read_parquet('"
                  + files
                  + "',"
                  + " filename = true, file_row_number = true)"
                  + " WINDOW w AS (ORDER BY filename, file_row_number))"
                  + " WHERE pk > src_addr OR (pk = src_addr AND pt > event_time)"));
    }
    assertFalse(run.out.isEmpty());
  }
}
