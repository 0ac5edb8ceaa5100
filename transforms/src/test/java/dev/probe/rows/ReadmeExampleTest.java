package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.TestInputs;
import dev.probe.rows.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Use it from your pipeline" example, run; and the README shows exactly it. */
@ExtendWith(TestPipelineExtension.class)
class ReadmeExampleTest {
  private static final Path SOURCE =
      Path.of("src/test/java/dev/probe/rows/ReadmeExampleTest.java");

  private static final int EVENTS = 100_000;

  @TempDir Path temp;

  @Test
  @SuppressWarnings("unchecked")
  void theExampleGroupsTheBundledEvents(TestPipeline pipeline) throws IOException {
    // Parquet events of three sources, times scrambled.
    Schema avroSchema =
        SchemaBuilder.record("event")
            .fields()
            .requiredString("src_addr")
            .name("event_time")
            .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .requiredInt("dst_port")
            .endRecord();
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(
                new LocalOutputFile(temp.resolve("events.parquet")))
            .withSchema(avroSchema)
            .build()) {
      for (int i = 0; i < EVENTS; i++) {
        GenericRecord event = new GenericData.Record(avroSchema);
        event.put("src_addr", "10.0.0." + i % 3);
        event.put("event_time", (i * 7919L) % EVENTS - EVENTS / 2);
        event.put("dst_port", i);
        writer.write(event);
      }
    }
    String input = temp.resolve("*.parquet").toString();
    Path spillFolder = Files.createDirectories(temp.resolve("spill"));
    String spill = spillFolder.toString();

    // README begin
    // Any PCollection with a Beam schema will do: Rows, POJOs, or Avro records from ParquetIO.
    PCollection<GenericRecord> events =
        pipeline.apply(ParquetIO.read(avroSchema).from(input).withBeamSchemas(true));

    // One row per src_addr (or per 10,000 of its events): src_addr, chunk, event_count, events.
    PCollection<Row> probeRows =
        events.apply(
            GroupIntoProbeRows.of("src_addr", "event_time")
                .withMaxEventsPerRow(10_000)
                .withSorter(
                    BufferedExternalSorter.options().withMemoryMB(64).withTempLocation(spill)));
    // README end

    PAssert.that(probeRows)
        .satisfies(
            rows -> {
              long eventCount = 0;
              for (Row row : rows) {
                Comparable<Object> previous = null;
                for (Object event : row.getArray("events")) {
                  Comparable<Object> time = (Comparable<Object>) ((Row) event).getValue("event_time");
                  Comparable<Object> before = previous;
                  assertTrue(
                      before == null || before.compareTo(time) <= 0,
                      () -> row.getString("src_addr") + ": " + time + " after " + before);
                  previous = time;
                }
                assertEquals(row.getInt64("event_count"), (long) row.getArray("events").size());
                eventCount += row.getInt64("event_count");
              }
              assertEquals(EVENTS, eventCount);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theReadmeShowsTheExampleAsItRuns() throws IOException {
    Matcher readme =
        Pattern.compile("## Use it from your pipeline\n.*?```java\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(TestInputs.testdata().resolveSibling("README.md")));
    assertTrue(readme.find(), "README.md has no Java block under 'Use it from your pipeline'");
    Matcher test =
        Pattern.compile("// README begin\n(.*?)\n\\s*// README end", Pattern.DOTALL)
            .matcher(Files.readString(SOURCE));
    assertTrue(test.find(), SOURCE + " has no README block");
    List<String> lines = new ArrayList<>();
    for (String line : test.group(1).split("\n", -1)) {
      lines.add(line.isBlank() ? "" : line.substring(4));
    }
    assertEquals(readme.group(1), String.join("\n", lines) + "\n");
  }
}
