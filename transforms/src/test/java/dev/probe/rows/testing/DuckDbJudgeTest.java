package dev.probe.rows.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The judge must see wrong output: otherwise every test built on it proves nothing. */
class DuckDbJudgeTest {
  @TempDir Path temp;

  private DuckDb.Verdict judgeOutputOrderedBy(String order) throws Exception {
    Path input = TestInputs.duckDbTypes(temp.resolve("in"));
    Path out = Files.createDirectories(temp.resolve("out-" + order.hashCode()));
    try (DuckDb duckDb = new DuckDb()) {
      String glob = input.resolve("*.parquet").toString();
      List<String> columns = duckDb.columns(glob);
      columns.remove("src_addr");
      String struct =
          columns.stream()
              .map(c -> DuckDb.quote(c) + " := " + DuckDb.quote(c))
              .collect(Collectors.joining(", "));
      duckDb.execute(
          "COPY (SELECT src_addr, 0::INTEGER AS chunk, count(*)::BIGINT AS event_count,"
              + " LIST(STRUCT_PACK("
              + struct
              + ") ORDER BY "
              + order
              + ") AS events"
              + " FROM read_parquet('"
              + glob
              + "', filename = true, file_row_number = true)"
              + " WHERE src_addr IS NOT NULL AND event_time IS NOT NULL GROUP BY src_addr)"
              + " TO '"
              + out.resolve("part-00000-of-00001.parquet")
              + "' (FORMAT PARQUET)");
      return duckDb.judge(glob, out, "src_addr", "event_time");
    }
  }

  @Test
  void seesListsInTheWrongOrder() throws Exception {
    DuckDb.Verdict verdict = judgeOutputOrderedBy("event_time DESC");
    assertTrue(verdict.unorderedRows > 0, verdict.toString());
    assertEquals(verdict.expectedKeys, verdict.keysWithDifferentEvents, verdict.toString());
  }

  @Test
  void seesTiesBrokenAgainstInputOrder() throws Exception {
    DuckDb.Verdict verdict =
        judgeOutputOrderedBy("event_time, filename DESC, file_row_number DESC");
    assertEquals(0, verdict.unorderedRows, verdict.toString());
    assertTrue(verdict.keysWithDifferentEvents > 0, verdict.toString());
  }

  @Test
  void acceptsTheRightOrder() throws Exception {
    DuckDb.Verdict verdict = judgeOutputOrderedBy("event_time, filename, file_row_number");
    assertEquals(0, verdict.keysWithDifferentEvents, verdict.toString());
    assertEquals(0, verdict.unorderedRows, verdict.toString());
    assertEquals(verdict.expectedKeys, verdict.actualKeys, verdict.toString());
  }
}
