package dev.probe.rows.runners.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.pipeline.diagnose.DiagnoseAgreement;
import dev.probe.rows.runners.BundledRunners;
import dev.probe.rows.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.statistics.Statistics;

/**
 * One differential case end to end: writes the spec's input, runs the whole command on it and
 * has DuckDB judge the output against its own ordered lists. Every difference fails, with the spec
 * line that reproduces it.
 */
final class DifferentialCase {
  private static final Pattern REJECTED = Pattern.compile("rejected ([\\d,]+) rows");
  private static final Pattern OWN_KEYS =
      Pattern.compile("([\\d,]+) of [\\d,]+ row groups wrote the keys they alone hold \\(([\\d,]+) were");

  private static final Pattern KEY_RANGES =
      Pattern.compile("([\\d,]+) key ranges merged from files each sorted by key \\(([\\d,]+) were");

  /** The path of a case whose key ranges were all merged from files each sorted by key. */
  static final String KEY_RANGES_MERGED = "ordered path: key ranges merged";

  /** The path of a case in which a key range met a file out of order and shipped its rows. */
  static final String KEY_RANGES_FELL_BACK = "ordered path: key ranges fallen back";

  private DifferentialCase() {}

  static void check(CaseSpec spec) throws Exception {
    Path dir = Files.createTempDirectory("probe-rows-differential-");
    try {
      check(spec, dir);
      record("passed", spec, null);
    } catch (AssertionError | Exception e) {
      record("FAILED", spec, e);
      throw new AssertionError("case failed: " + spec + "\n" + e.getMessage(), e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** A soak's progress: with {@code -Dprobe.differential.log=FILE}, one line per case. */
  private static void record(String outcome, CaseSpec spec, Throwable failure) throws IOException {
    String log = System.getProperty("probe.differential.log");
    if (log != null) {
      String why =
          failure == null
              ? ""
              : "\n    " + String.valueOf(failure).lines().limit(12).collect(Collectors.joining("\n    "));
      Files.writeString(
          Path.of(log),
          java.time.Instant.now() + " " + outcome + " " + spec + why + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private static void check(CaseSpec spec, Path dir) throws Exception {
    CaseInput input = new CaseInput(spec);
    String glob = input.write(dir.resolve("in"));
    String judgeGlob = input.judgeReadsThem() ? glob : input.writeForJudge(dir.resolve("judged"));
    Path out = dir.resolve("out");
    List<String> eventColumns = eventColumns(input);
    List<String> args = new ArrayList<>();
    args.add("run");
    args.add("--input=" + glob);
    args.add("--output=" + out);
    args.add("--keyColumn=" + input.keyColumn);
    args.add("--sortColumn=" + input.sortColumn);
    args.add("--assumeOrdered=" + spec.assumeOrdered);
    args.add("--runner=" + spec.runner);
    args.add("--parallelism=" + spec.parallelism);
    args.add("--spillDirectory=" + dir.resolve("spill"));
    if (spec.numShards > 0) {
      args.add("--numShards=" + spec.numShards);
    }
    if (spec.maxEventsPerRow > 0) {
      args.add("--maxEventsPerRow=" + spec.maxEventsPerRow);
    }
    if (spec.tinySortMemory) {
      args.add("--sortMemoryMb=1");
    }
    if (spec.columnsSubset) {
      args.add("--columns=" + String.join(",", eventColumns));
    }
    CliRun run = CliRun.of(new BundledRunners(), args.toArray(new String[0]));
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    collectPaths(spec, run);
    DiagnoseAgreement.assertAgrees(glob, input.keyColumn, input.sortColumn, run);
    long rejected = rejectedReported(run);
    assertEquals(input.rejectedRows(), rejected, "rejected rows\n" + run);
    try (DuckDb duckDb = new DuckDb()) {
      assertEquals(rejected, duckDb.count(
          "SELECT count(*) FROM read_parquet('" + judgeGlob + "') WHERE "
              + DuckDb.quote(input.keyColumn) + " IS NULL OR " + DuckDb.quote(input.sortColumn) + " IS NULL"),
          "DuckDB's count of rows with a null key or time");
      if (rejected > 0) {
        assertEquals(rejected, duckDb.count("SELECT count(*) FROM read_parquet('" + out.resolveSibling(out.getFileName() + "-rejects").resolve("*.parquet") + "')"),
            "rows in the rejects files");
      }
      long placeable = input.rows.size() - rejected;
      if (placeable == 0) {
        assertEquals(0, duckDb.count("SELECT count(*) FROM read_parquet('" + out.resolve("part-*.parquet") + "')"),
            "probe rows of an input with no placeable row");
        return;
      }
      DuckDb.Verdict verdict =
          duckDb.judge(judgeGlob, out, input.keyColumn, input.sortColumn, eventColumns);
      verdict.assertCorrect();
      if (spec.maxEventsPerRow > 0) {
        String parts = "read_parquet('" + out.resolve("part-*.parquet") + "')";
        assertEquals(0, duckDb.count("SELECT count(*) FROM " + parts + " WHERE event_count > " + spec.maxEventsPerRow),
            "rows longer than --maxEventsPerRow");
        assertEquals(0, duckDb.count(
            "SELECT count(*) FROM (SELECT event_count, chunk, max(chunk) OVER (PARTITION BY "
                + DuckDb.quote(input.keyColumn) + ") AS last FROM " + parts + ") WHERE chunk < last AND event_count <> "
                + spec.maxEventsPerRow),
            "a chunk before a key's last one holds fewer than --maxEventsPerRow events");
      }
    }
  }

  /**
   * Which of the engine's paths the case took, for jqwik's statistics report: a run of cases that
   * never met a path proves nothing about it.
   */
  private static void collectPaths(CaseSpec spec, CliRun run) {
    Matcher ownKeys = OWN_KEYS.matcher(run.out);
    Matcher keyRanges = KEY_RANGES.matcher(run.out);
    long[] ranges =
        keyRanges.find()
            ? new long[] {number(keyRanges.group(1)), number(keyRanges.group(2))}
            : new long[2];
    String ordered;
    if (!spec.assumeOrdered) {
      ordered = "sorting path";
    } else if (ranges[1] > 0) {
      ordered = KEY_RANGES_FELL_BACK;
    } else if (ranges[0] > 0) {
      ordered = KEY_RANGES_MERGED;
    } else if (!ownKeys.find()) {
      ordered = "ordered path, no summary";
    } else {
      long written = Long.parseLong(ownKeys.group(1).replace(",", ""));
      long abandoned = Long.parseLong(ownKeys.group(2).replace(",", ""));
      ordered =
          abandoned > 0 && written > 0
              ? "ordered path: own keys written and fallen back"
              : abandoned > 0
                  ? "ordered path: own keys fallen back"
                  : written > 0 ? "ordered path: own keys written" : "ordered path: all shipped";
    }
    Statistics.label("path").collect(ordered);
    Statistics.label("runner").collect(spec.runner);
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  /** The columns the probe rows hold in their events: all but the key, or a drawn subset. */
  private static List<String> eventColumns(CaseInput input) {
    if (!input.spec.columnsSubset) {
      return input.otherColumns;
    }
    Random random = new Random(input.spec.seed ^ 0x5DEECE66DL);
    List<String> chosen =
        input.otherColumns.stream().filter(c -> random.nextBoolean()).collect(Collectors.toList());
    return chosen.isEmpty() ? List.of(input.otherColumns.get(random.nextInt(input.otherColumns.size()))) : chosen;
  }

  private static long rejectedReported(CliRun run) {
    Matcher matcher = REJECTED.matcher(run.out);
    if (!matcher.find()) {
      throw new AssertionError("no count of rejected rows in\n" + run);
    }
    return Long.parseLong(matcher.group(1).replace(",", ""));
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }
}
