package dev.probe.rows.pipeline.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.probe.rows.pipeline.cli.CliRun;
import dev.probe.rows.pipeline.cli.DirectRunnerSupport;
import dev.probe.rows.testing.DuckDb;
import dev.probe.rows.testing.TestInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagnose}'s order checks: a key's time going back however far apart its rows are, and
 * agreement with what a {@code run} with {@code --assumeOrdered} reports on the same input.
 */
class DiagnoseOrderTest {
  /** The case of issue 15: rows of one key never adjacent, two of them going back. */
  private static final String EIGHT_ROWS =
      "SELECT * FROM (VALUES ('b',2,'b@2'),('a',1,'a@1'),('b',1,'b@1'),('a',3,'a@3'),"
          + "('c',1,'c@1'),('a',2,'a@2'),('c',2,'c@2'),('b',3,'b@3')) t(k,ts,payload)";

  /** 5,000 rows of 100 keys of 50 rows each, keys zero-padded so text order is number order. */
  private static final String KEYED_ROWS =
      "SELECT 'k' || lpad((i // 50)::VARCHAR, 4, '0') AS k, (i * 7919) % 1000 AS ts, i AS payload"
          + " FROM range(5000) t(i)";

  @TempDir Path temp;

  private Path write(String name, String select, int rowGroupSize) throws Exception {
    Path file = temp.resolve(name);
    Files.createDirectories(file.getParent());
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.execute(
          "COPY ("
              + select
              + ") TO '"
              + file
              + "' (FORMAT parquet, ROW_GROUP_SIZE "
              + rowGroupSize
              + ")");
    }
    return file;
  }

  private static CliRun cli(String... args) {
    return CliRun.of(new DirectRunnerSupport(), args);
  }

  /** Runs {@code run} on the input and checks that {@code diagnose} agrees with it. */
  private JsonNode runAndAgree(String glob, String key, String sort) {
    CliRun run =
        cli(
            "run",
            "--input=" + glob,
            "--output=" + temp.resolve("out-" + UUID.randomUUID()),
            "--keyColumn=" + key,
            "--sortColumn=" + sort);
    return DiagnoseAgreement.assertAgrees(glob, key, sort, run);
  }

  private static void assertGoingBackAsDuckDb(JsonNode json, String glob, String key, String sort)
      throws Exception {
    String goingBack = DiagnoseCommandTest.goingBack(glob, key, sort);
    try (DuckDb duckDb = new DuckDb()) {
      assertEquals(
          duckDb.count("SELECT count(*) FROM " + goingBack),
          json.get("timeGoingBack").get("rows").asLong(),
          json.toString());
      assertEquals(
          duckDb.count("SELECT count(DISTINCT k) FROM " + goingBack),
          json.get("timeGoingBack").get("keys").asLong(),
          json.toString());
    }
  }

  @Test
  void eightRowsWhoseKeysGoBackApartAreNotSafe() throws Exception {
    String file = write("mini.parquet", EIGHT_ROWS, 122_880).toString();
    CliRun text = cli("diagnose", "--input=" + file, "--keyColumn=k", "--sortColumn=ts");
    assertTrue(text.out.contains("time going back: 2 rows of 2 keys"), text.toString());
    assertTrue(text.out.contains("recommendation: --assumeOrdered is not safe"), text.toString());
    JsonNode json = runAndAgree(file, "k", "ts");
    assertTrue(json.get("timeGoingBack").get("rows").asLong() >= 2, json.toString());
    assertFalse(json.get("assumeOrderedSafe").asBoolean(), json.toString());
    assertGoingBackAsDuckDb(json, file, "k", "ts");
  }

  @Test
  void aKeyGoesBackAcrossRowsApartAndAcrossFiles() throws Exception {
    write("apart/a.parquet", "SELECT * FROM (VALUES ('x',5),('y',1),('x',3),('y',2)) t(k,ts)", 2);
    write("apart/b.parquet", "SELECT * FROM (VALUES ('z',1),('y',0),('x',4)) t(k,ts)", 2);
    String glob = temp.resolve("apart") + "/*.parquet";
    JsonNode json = runAndAgree(glob, "k", "ts");
    assertEquals(3, json.get("timeGoingBack").get("rows").asLong(), json.toString());
    assertEquals(2, json.get("timeGoingBack").get("keys").asLong(), json.toString());
    assertEquals(1, json.get("files").get(0).get("rowsGoingBack").asLong(), json.toString());
    assertEquals(2, json.get("files").get(1).get("rowsGoingBack").asLong(), json.toString());
    assertFalse(json.get("assumeOrderedSafe").asBoolean(), json.toString());
    assertGoingBackAsDuckDb(json, glob, "k", "ts");
  }

  @Test
  void inputSortedByKeyOnlyIsNotSafe() throws Exception {
    String file = write("by-key.parquet", KEYED_ROWS + " ORDER BY k, hash(i)", 2048).toString();
    JsonNode json = runAndAgree(file, "k", "ts");
    assertFalse(json.get("assumeOrderedSafe").asBoolean(), json.toString());
    assertTrue(json.get("timeGoingBack").get("rows").asLong() > 1000, json.toString());
    assertGoingBackAsDuckDb(json, file, "k", "ts");
  }

  @Test
  void inputSortedByKeyAndTimeIsSafe() throws Exception {
    String file = write("by-key-time.parquet", KEYED_ROWS + " ORDER BY k, ts", 2048).toString();
    JsonNode json = runAndAgree(file, "k", "ts");
    assertTrue(json.get("assumeOrderedSafe").asBoolean(), json.toString());
    assertEquals(0, json.get("timeGoingBack").get("rows").asLong(), json.toString());
    // Three row groups whose key ranges meet at most at their ends: each writes its own keys.
    assertEquals(3, json.get("assumeOrderedRun").get("rowGroupsOwnKeysWritten").asLong());
  }

  @Test
  void rowGroupsWhoseOwnKeysAreOutOfOrderAreNotSafe() throws Exception {
    // Each row group of 2,048 rows holds about 41 keys of its own, in random order: a fallback
    // each, though no key's time goes back (all its rows have the same time).
    String rows = KEYED_ROWS.replace("(i * 7919) % 1000", "0") + " ORDER BY i // 2048, hash(i)";
    String file = write("own-keys.parquet", rows, 2048).toString();
    JsonNode json = runAndAgree(file, "k", "ts");
    assertEquals(0, json.get("timeGoingBack").get("rows").asLong(), json.toString());
    assertEquals(3, json.get("assumeOrderedRun").get("rowGroupsOwnKeysAbandoned").asLong());
    assertFalse(json.get("assumeOrderedSafe").asBoolean(), json.toString());
  }

  @Test
  void diagnoseAgreesWithRunOnTheDuckDbLayouts() throws Exception {
    for (String layout : new String[] {"sorted", "interleaved", "shuffled"}) {
      Path dir = TestInputs.duckDbLayout(temp.resolve("layouts"), layout);
      String glob = dir + "/*.parquet";
      JsonNode json = runAndAgree(glob, "src_addr", "event_time");
      assertGoingBackAsDuckDb(json, glob, "src_addr", "event_time");
    }
    String byTime = write("by-time.parquet", KEYED_ROWS + " ORDER BY ts, i", 2048).toString();
    assertTrue(runAndAgree(byTime, "k", "ts").get("assumeOrderedSafe").asBoolean());
  }
}
