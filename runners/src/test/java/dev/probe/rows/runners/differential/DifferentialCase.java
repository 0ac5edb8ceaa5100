package dev.probe.rows.runners.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.probe.rows.pipeline.CliRun;
import dev.probe.rows.pipeline.ExitStatus;
import dev.probe.rows.runners.BundledRunners;
import dev.probe.rows.transforms.DuckDb;
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

/**
 * One differential case end to end: writes the spec's input, runs the whole command on it and
 * has DuckDB judge the output against its own ordered lists. Every difference fails, with the spec
 * line that reproduces it.
 */
final class DifferentialCase {
  private static final Pattern REJECTED = Pattern.compile("rejected ([\\d,]+) rows");

  private DifferentialCase() {}

  static void check(CaseSpec spec) throws Exception {
    Path dir = Files.createTempDirectory("probe-rows-differential-");
    try {
      check(spec, dir);
    } catch (AssertionError | Exception e) {
      throw new AssertionError("case failed: " + spec + "\n" + e.getMessage(), e);
    } finally {
      deleteRecursively(dir);
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
