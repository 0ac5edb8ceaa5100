package dev.probe.rows.pipeline.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.DirectRunnerSupport;
import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.pipeline.generate.EventGenerator;
import dev.probe.rows.pipeline.generate.GenerateOptions;
import dev.probe.rows.testing.DuckDb;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code probe-rows diagnose} against DuckDB's own reading of the same files. */
class DiagnoseCommandTest {
  @TempDir Path temp;

  private static CliRun cli(String... args) {
    return CliRun.of(new DirectRunnerSupport(), args);
  }

  private Path generate(String name, boolean sorted) throws Exception {
    GenerateOptions options = PipelineOptionsFactory.as(GenerateOptions.class);
    options.setOutput(temp.resolve(name).toString());
    options.setEvents(30_000);
    options.setFiles(3);
    options.setSorted(sorted);
    EventGenerator.generate(options);
    return temp.resolve(name);
  }

  /** Runs diagnose --json and checks that stdout is exactly one JSON object. */
  private static JsonNode diagnose(String glob, String... options) throws Exception {
    String[] args = new String[options.length + 3];
    args[0] = "diagnose";
    args[1] = "--input=" + glob;
    args[2] = "--json";
    System.arraycopy(options, 0, args, 3, options.length);
    CliRun run = cli(args);
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    assertEquals("", run.err, run.toString());
    ObjectMapper mapper = new ObjectMapper();
    JsonNode json = mapper.readTree(run.out);
    assertTrue(json.isObject(), run.out);
    assertEquals(1, run.out.strip().lines().count(), "one line of JSON:\n" + run.out);
    return json;
  }

  /** The checks DuckDB can make on rows with a key and a time, over all files of {@code glob}. */
  private static void assertMatchesDuckDb(JsonNode json, String glob, String key, String time)
      throws Exception {
    String source = "read_parquet('" + glob + "')";
    String kept = DuckDb.quote(key) + " IS NOT NULL AND " + DuckDb.quote(time) + " IS NOT NULL";
    String perKey =
        "(SELECT count(*) AS n FROM "
            + source
            + " WHERE "
            + kept
            + " GROUP BY "
            + DuckDb.quote(key)
            + ")";
    try (DuckDb duckDb = new DuckDb()) {
      assertEquals(duckDb.count("SELECT count(*) FROM " + source), json.get("rows").asLong());
      assertEquals(
          duckDb.count(
              "SELECT count(*) FROM " + source + " WHERE " + DuckDb.quote(key) + " IS NULL"),
          json.get("nullKeyRows").asLong());
      assertEquals(
          duckDb.count(
              "SELECT count(DISTINCT " + DuckDb.quote(key) + ") FROM " + source + " WHERE " + kept),
          json.get("distinctKeys").asLong());
      JsonNode perKeyJson = json.get("eventsPerKey");
      assertEquals(duckDb.count("SELECT max(n) FROM " + perKey), perKeyJson.get("max").asLong());
      assertEquals(
          duckDb.count("SELECT quantile_disc(n, 0.5) FROM " + perKey),
          perKeyJson.get("median").asLong());
      assertEquals(
          duckDb.count("SELECT quantile_disc(n, 0.99) FROM " + perKey),
          perKeyJson.get("p99").asLong());
      assertEquals(
          perKeyJson.get("max").asLong(), json.get("largestKeys").get(0).get("events").asLong());
      String goingBack = goingBack(glob, key, time);
      assertEquals(
          duckDb.count("SELECT count(*) FROM " + goingBack),
          json.get("timeGoingBack").get("rows").asLong());
      assertEquals(
          duckDb.count("SELECT count(DISTINCT k) FROM " + goingBack),
          json.get("timeGoingBack").get("keys").asLong());
    }
    assertFalse(json.get("estimated").asBoolean());
  }

  /**
   * DuckDB's rows whose time is earlier than that of an earlier row of their key, in input order
   * (files by name, then rows), as a subquery with columns k and t.
   */
  static String goingBack(String glob, String key, String time) {
    String kept = DuckDb.quote(key) + " IS NOT NULL AND " + DuckDb.quote(time) + " IS NOT NULL";
    return "(SELECT k, t FROM (SELECT "
        + DuckDb.quote(key)
        + " AS k, "
        + DuckDb.quote(time)
        + " AS t, max(t) OVER (PARTITION BY k ORDER BY filename, file_row_number ROWS BETWEEN"
        + " UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest FROM read_parquet('"
        + glob
        + "', filename = true, file_row_number = true) WHERE "
        + kept
        + ") WHERE t < latest)";
  }

  @Test
  void sortedInputIsSafeToAssumeOrdered() throws Exception {
    String glob = generate("sorted", true) + "/*.parquet";
    JsonNode json = diagnose(glob);
    assertEquals(0, json.get("timeGoingBack").get("rows").asLong());
    assertTrue(json.get("assumeOrderedSafe").asBoolean());
    assertEquals(3, json.get("files").size());
    for (JsonNode file : json.get("files")) {
      assertEquals(0, file.get("rowsGoingBack").asLong());
      assertEquals(10_000, file.get("rows").asLong());
    }
    assertMatchesDuckDb(json, glob, "src_addr", "event_time");
    try (DuckDb duckDb = new DuckDb()) {
      String heaviest =
          duckDb
              .strings(
                  "SELECT src_addr FROM read_parquet('"
                      + glob
                      + "') GROUP BY src_addr ORDER BY count(*) DESC LIMIT 1")
              .get(0);
      assertEquals(heaviest, json.get("largestKeys").get(0).get("key").asText());
    }
  }

  @Test
  void unsortedInputHasOrderViolations() throws Exception {
    String glob = generate("unsorted", false) + "/*.parquet";
    JsonNode json = diagnose(glob);
    assertTrue(json.get("timeGoingBack").get("rows").asLong() > 0, json.toString());
    assertFalse(json.get("assumeOrderedSafe").asBoolean());
    String recommendation = json.get("recommendation").asText();
    assertTrue(recommendation.contains("use --assumeOrdered=false"), recommendation);
    assertMatchesDuckDb(json, glob, "src_addr", "event_time");
  }

  @Test
  void integerKeysArePrintedAsNumbers() throws Exception {
    String glob = generate("ints", false) + "/*.parquet";
    JsonNode json = diagnose(glob, "--keyColumn=ttl");
    assertTrue(json.get("largestKeys").get(0).get("key").isNumber(), json.toString());
    assertMatchesDuckDb(json, glob, "ttl", "event_time");
  }

  @Test
  void nullKeysAndTimesAreCountedAndLeftOut() throws Exception {
    Path file = temp.resolve("nulls.parquet");
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.execute(
          "COPY (SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE 'k' || (i % 13) END AS src_addr,"
              + " CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + to_seconds(i) END"
              + " AS event_time, i AS payload FROM range(1000) t(i)) TO '"
              + file
              + "' (FORMAT parquet)");
    }
    JsonNode json = diagnose(file.toString());
    // Rows 0, 7, 14, ... have no key; of the rest, those divisible by 5 have no time.
    assertEquals(143, json.get("nullKeyRows").asLong());
    assertEquals(200 - 29, json.get("nullSortRows").asLong());
    assertEquals(1000 - 143 - 171, json.get("events").asLong());
    assertEquals(0, json.get("timeGoingBack").get("rows").asLong());
    assertMatchesDuckDb(json, file.toString(), "src_addr", "event_time");
  }

  @Test
  void textReportNamesTheRecommendation() throws Exception {
    String glob = generate("text", true) + "/*.parquet";
    CliRun run = cli("diagnose", "--input=" + glob);
    assertEquals(ExitStatus.DONE, run.status, run.toString());
    assertTrue(run.out.contains("time going back: 0 rows of 0 keys"), run.out);
    assertTrue(run.out.contains("recommendation: --assumeOrdered is safe"), run.out);
  }

  @Test
  void columnErrorsReadAsInRun() throws Exception {
    String glob = generate("errors", true) + "/*.parquet";
    CliRun diagnose = cli("diagnose", "--input=" + glob, "--keyColumn=nope");
    CliRun run =
        cli("run", "--input=" + glob, "--output=" + temp.resolve("out"), "--keyColumn=nope");
    assertEquals(ExitStatus.INPUT_ERROR, diagnose.status, diagnose.toString());
    assertEquals(run.err, diagnose.err);
    assertEquals(1, diagnose.err.lines().count(), diagnose.err);
    assertEquals("", diagnose.out);
  }

  @Test
  void usageAndInputErrors() {
    assertEquals(ExitStatus.USAGE_ERROR, cli("diagnose").status);
    assertEquals(ExitStatus.USAGE_ERROR, cli("diagnose", "--input=x", "--jsn").status);
    CliRun missing = cli("diagnose", "--input=" + temp.resolve("none/*.parquet"));
    assertEquals(ExitStatus.INPUT_ERROR, missing.status, missing.toString());
    assertTrue(missing.err.startsWith("probe-rows: no files match"), missing.err);
  }
}
