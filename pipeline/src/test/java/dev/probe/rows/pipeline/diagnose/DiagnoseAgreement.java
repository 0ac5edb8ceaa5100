package dev.probe.rows.pipeline.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.DirectRunnerSupport;
import dev.probe.rows.pipeline.cli.ExitStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether {@code diagnose} tells the truth about what a {@code run} met: the same rows, rejects,
 * events and keys, and for a run with {@code --assumeOrdered} the same counts of rows going back
 * within their runs and of row groups writing (or falling back from writing) their own keys.
 *
 * (and of key ranges merged, or falling back), predicted with the run's shards and sort memory.
 *
 * <p>{@code diagnose}'s own notion of a row going back in time (against any earlier row of its key,
 * in input order) is stronger than a run's (against the previous row of the key's run in its row
 * group and shard), so it bounds the run's count; and on input it calls safe, the run counts no row
 * going back and no row group falling back.
 *
 * <p>Not compared: the run's keys with overlapping runs and events sorted on disk, which depend on
 * how the merge meets the runs' chunks and on its memory. They are not a measure of disorder: a
 * chunk that starts at an earlier key and runs on into a key opens before a later-starting chunk of
 * that key, so input in time order per key can count overlapping runs too.
 */
public final class DiagnoseAgreement {
  private static final String NUMBER = "([0-9,]+)";
  private static final Pattern READ =
      Pattern.compile(
          "read "
              + NUMBER
              + " rows from "
              + NUMBER
              + " files; wrote "
              + NUMBER
              + " probe rows of "
              + NUMBER
              + " keys \\(largest: "
              + NUMBER
              + " events\\) with "
              + NUMBER
              + " events");
  private static final Pattern REJECTED =
      Pattern.compile(
          "rejected " + NUMBER + " rows \\(null .*: " + NUMBER + ", null .*: " + NUMBER);
  private static final Pattern ASSUME_ORDERED =
      Pattern.compile(
          "--assumeOrdered: "
              + NUMBER
              + " rows went back in time within their key's run in its row group and shard \\("
              + NUMBER
              + " shards, "
              + NUMBER
              + " MB sort memory\\); "
              + NUMBER
              + " keys had overlapping runs, merged \\("
              + NUMBER
              + " events sorted on disk\\); "
              + NUMBER
              + " of "
              + NUMBER
              + " row groups wrote the keys they alone hold \\("
              + NUMBER
              + " were out of order and shipped them\\); "
              + NUMBER
              + " key ranges merged from files each sorted by key \\("
              + NUMBER
              + " were out of order");

  private DiagnoseAgreement() {}

  /**
   * Runs {@code diagnose --json} on the input of a finished {@code run} (with the run's shard
   * count, which it prints) and asserts that the two agree; see the class comment.
   *
   * @param inputGlob the run's {@code --input}
   * @param keyColumn the run's {@code --keyColumn}
   * @param sortColumn the run's {@code --sortColumn}
   * @param run what the run printed; it must have succeeded
   * @return diagnose's report, for further checks
   */
  public static JsonNode assertAgrees(
      String inputGlob, String keyColumn, String sortColumn, CliRun run) {
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    long[] read = numbers(READ, run);
    long[] rejected = numbers(REJECTED, run);
    Matcher ordered = ASSUME_ORDERED.matcher(run.out);
    long[] assumeOrdered = ordered.find() ? numbers(ordered) : null;

    List<String> args = new ArrayList<>();
    args.add("diagnose");
    args.add("--input=" + inputGlob);
    args.add("--keyColumn=" + keyColumn);
    args.add("--sortColumn=" + sortColumn);
    args.add("--json");
    if (assumeOrdered != null) {
      args.add("--numShards=" + assumeOrdered[1]);
      args.add("--sortMemoryMb=" + assumeOrdered[2]);
    }
    CliRun diagnose = CliRun.of(new DirectRunnerSupport(), args.toArray(new String[0]));
    assertEquals(ExitStatus.DONE, diagnose.status, diagnose.toString());
    JsonNode d;
    try {
      d = new ObjectMapper().readTree(diagnose.out);
    } catch (IOException e) {
      throw new AssertionError("diagnose printed no JSON:\n" + diagnose, e);
    }
    String both = "run:\n" + run.out + "\ndiagnose:\n" + diagnose.out;

    assertEquals(read[0], d.get("rows").asLong(), "rows; " + both);
    assertEquals(rejected[1], d.get("nullKeyRows").asLong(), "null keys; " + both);
    assertEquals(rejected[2], d.get("nullSortRows").asLong(), "null times; " + both);
    assertEquals(read[5], d.get("events").asLong(), "events; " + both);
    boolean estimated = d.get("estimated").asBoolean();
    if (!estimated) {
      assertEquals(read[3], d.get("distinctKeys").asLong(), "keys; " + both);
      assertEquals(read[4], d.get("eventsPerKey").get("max").asLong(), "largest key; " + both);
    }

    long rowsGoingBack = d.get("timeGoingBack").get("rows").asLong();
    JsonNode predicted = d.get("assumeOrderedRun");
    JsonNode safe = d.get("assumeOrderedSafe");
    assertEquals(
        rowsGoingBack > 0
                || predicted.get("rowGroupsOwnKeysAbandoned").asLong() > 0
                || predicted.get("keyRangesFallenBack").asLong() > 0
            ? "false"
            : estimated ? "null" : "true",
        safe.toString(),
        "safe; " + both);
    if (assumeOrdered == null) {
      return d;
    }
    assertEquals(assumeOrdered[1], predicted.get("numShards").asLong(), "shards; " + both);
    assertEquals(
        assumeOrdered[0], predicted.get("orderViolations").asLong(), "order violations; " + both);
    assertEquals(assumeOrdered[6], predicted.get("rowGroups").asLong(), "row groups; " + both);
    assertEquals(
        assumeOrdered[5],
        predicted.get("rowGroupsOwnKeysWritten").asLong(),
        "row groups writing their own keys; " + both);
    assertEquals(
        assumeOrdered[7],
        predicted.get("rowGroupsOwnKeysAbandoned").asLong(),
        "row groups falling back; " + both);
    assertEquals(
        assumeOrdered[8], predicted.get("keyRangesMerged").asLong(), "key ranges merged; " + both);
    assertEquals(
        assumeOrdered[9],
        predicted.get("keyRangesFallenBack").asLong(),
        "key ranges falling back; " + both);
    if (!estimated) {
      assertTrue(assumeOrdered[0] <= rowsGoingBack, "rows going back bound the run's; " + both);
    }
    if (safe.asBoolean(false)) {
      assertEquals(0, assumeOrdered[0] + assumeOrdered[7] + assumeOrdered[9], "safe; " + both);
    }
    return d;
  }

  private static long[] numbers(Pattern pattern, CliRun run) {
    Matcher matcher = pattern.matcher(run.out);
    assertTrue(matcher.find(), "no line matching " + pattern + " in\n" + run);
    return numbers(matcher);
  }

  private static long[] numbers(Matcher matcher) {
    long[] numbers = new long[matcher.groupCount()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = Long.parseLong(matcher.group(i + 1).replace(",", ""));
    }
    return numbers;
  }
}
