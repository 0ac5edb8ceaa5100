package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.probe.rows.LiveProgress;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import dev.probe.rows.testing.DuckDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.values.KV;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probe rows are written event by event, cut into chunks, and never out of order. */
class ProbeRowFileTest {
  @TempDir Path temp;

  private final ProbeRowSchema schema =
      ProbeRowSchema.of(
          MessageTypeParser.parseMessageType(
              "message events { required binary src_addr (STRING); required int64 event_time; }"),
          "src_addr",
          "event_time",
          List.of());

  /** (event key, encoded event) of key {@code key} at {@code time}, row {@code row}. */
  private static KV<byte[], byte[]> event(String key, long time, long row) {
    byte[] raw = key.getBytes(StandardCharsets.UTF_8);
    ByteSink eventKey = new ByteSink(32);
    EventKeys.appendKey(eventKey, raw, 0, raw.length);
    eventKey.writeLong(time ^ Long.MIN_VALUE);
    eventKey.writeInt(0);
    eventKey.writeLong(row);
    ByteSink event = new ByteSink(8);
    event.writeLong(time);
    return KV.of(eventKey.toByteArray(), event.toByteArray());
  }

  private ProbeRowFile file(String name, long maxEventsPerRow) {
    return new ProbeRowFile(
        FileSystems.matchNewResource(temp.resolve(name).toString(), false),
        schema,
        maxEventsPerRow,
        LiveProgress.UNWATCHED);
  }

  @Test
  void keysBecomeRowsAndLongTimelinesChunks() throws Exception {
    ProbeRowFile file = file("rows.parquet", 2);
    file.write(
        List.of(
                event("a", -5, 0),
                event("a", 1, 3),
                event("a", 1, 7),
                event("b", 2, 1),
                event("ba", 0, 2))
            .iterator());
    file.finish();

    assertEquals(5, file.events());
    try (DuckDb duckDb = new DuckDb()) {
      assertEquals(
          List.of("a|0|2|[-5, 1]", "a|1|1|[1]", "b|0|1|[2]", "ba|0|1|[0]"),
          duckDb.strings(
              "SELECT src_addr || '|' || chunk || '|' || event_count || '|' ||"
                  + " list_transform(events, e -> e.event_time)::VARCHAR FROM '"
                  + temp.resolve("rows.parquet")
                  + "' ORDER BY src_addr, chunk"));
    }
  }

  /** A bug upstream fails the file instead of writing a list out of order. */
  @Test
  void anEventOutOfOrderFailsAndTheFileIsDiscarded() {
    ProbeRowFile file = file("unordered.parquet", 0);
    List<KV<byte[], byte[]>> events = List.of(event("a", 2, 0), event("a", 1, 1));

    assertThrows(ProbeRowFile.OutOfOrder.class, () -> file.write(events.iterator()));
    file.discard();
    assertFalse(Files.exists(temp.resolve("unordered.parquet")));
  }
}
