package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * {@link GroupIntoProbeRows} as a Beam user meets it, each case one pipeline on the runner of the
 * {@link TestPipeline} it is given: the DirectRunner here ({@code GroupIntoProbeRowsTest}) and
 * embedded Flink in the runners module.
 */
public final class GroupIntoProbeRowsCases {
  private GroupIntoProbeRowsCases() {}

  /** Events as rows: key {@code k}, time {@code ts}, and a payload that may be null. */
  static final Schema EVENT =
      Schema.builder()
          .addStringField("k")
          .addInt64Field("ts")
          .addNullableField("payload", FieldType.STRING)
          .build();

  static final Schema TIMELINE =
      Schema.builder().addInt64Field("ts").addNullableField("payload", FieldType.STRING).build();

  static final Schema PROBE_ROW =
      Schema.builder()
          .addStringField("k")
          .addInt32Field("chunk")
          .addInt64Field("event_count")
          .addArrayField("events", FieldType.row(TIMELINE))
          .build();

  static Row event(String key, long ts, String payload) {
    return Row.withSchema(EVENT).addValues(key, ts, payload).build();
  }

  /** The probe row of {@code key}'s {@code chunk}: payloads "key@ts", as {@link #event} makes. */
  static Row probeRow(String key, int chunk, long... times) {
    List<Row> events = new ArrayList<>();
    for (long ts : times) {
      events.add(Row.withSchema(TIMELINE).addValues(ts, key + "@" + ts).build());
    }
    return Row.withSchema(PROBE_ROW).addValues(key, chunk, (long) times.length, events).build();
  }

  /** The issue's eight rows of three keys, in mixed order. */
  static PCollection<Row> eightMixedRows(TestPipeline pipeline, String name) {
    return pipeline.apply(
        name,
        Create.of(
                event("b", 2, "b@2"),
                event("a", 1, "a@1"),
                event("b", 1, "b@1"),
                event("a", 3, "a@3"),
                event("c", 1, "c@1"),
                event("a", 2, "a@2"),
                event("c", 2, "c@2"),
                event("b", 3, "b@3"))
            .withRowSchema(EVENT));
  }

  /** Sorting or taking runs as they arrive, the same probe rows. */
  public static void eightMixedRows(TestPipeline pipeline) {
    for (boolean assumeOrdered : new boolean[] {false, true}) {
      PCollection<Row> probeRows =
          eightMixedRows(pipeline, "Events" + assumeOrdered)
              .apply(
                  "Group" + assumeOrdered,
                  GroupIntoProbeRows.of("k", "ts").withAssumeOrdered(assumeOrdered));
      PAssert.that(probeRows)
          .containsInAnyOrder(
              probeRow("a", 0, 1, 2, 3), probeRow("b", 0, 1, 2, 3), probeRow("c", 0, 1, 2));
    }
    pipeline.run().waitUntilFinish();
  }

  public static void maxEventsPerRow(TestPipeline pipeline) {
    PCollection<Row> probeRows =
        eightMixedRows(pipeline, "Events")
            .apply(GroupIntoProbeRows.of("k", "ts").withMaxEventsPerRow(2));
    PAssert.that(probeRows)
        .containsInAnyOrder(
            probeRow("a", 0, 1, 2),
            probeRow("a", 1, 3),
            probeRow("b", 0, 1, 2),
            probeRow("b", 1, 3),
            probeRow("c", 0, 1, 2));
    pipeline.run().waitUntilFinish();
  }

  /**
   * Times before zero sort first; events with equal times are ordered by their encoded bytes, here
   * the payload's (of equal length), whatever their order in the input; null payloads are kept.
   */
  public static void tiesNegativeTimesAndNullPayloads(TestPipeline pipeline) {
    List<Row> events =
        List.of(
            event("k", 5, "y"),
            event("k", -1, null),
            event("k", 5, "x"),
            event("k", -3, "w"),
            event("k", 0, "v"),
            event("k", Long.MIN_VALUE, "min"),
            event("k", Long.MAX_VALUE, "max"));
    List<Row> reversed = new ArrayList<>(events);
    java.util.Collections.reverse(reversed);
    Row expected =
        Row.withSchema(PROBE_ROW)
            .addValues(
                "k",
                0,
                7L,
                List.of(
                    timeline(Long.MIN_VALUE, "min"),
                    timeline(-3, "w"),
                    timeline(-1, null),
                    timeline(0, "v"),
                    timeline(5, "x"),
                    timeline(5, "y"),
                    timeline(Long.MAX_VALUE, "max")))
            .build();
    int branch = 0;
    for (List<Row> input : List.of(events, reversed)) {
      for (boolean assumeOrdered : new boolean[] {false, true}) {
        branch++;
        PCollection<Row> probeRows =
            pipeline
                .apply("Events" + branch, Create.of(input).withRowSchema(EVENT))
                .apply(
                    "Group" + branch,
                    GroupIntoProbeRows.of("k", "ts").withAssumeOrdered(assumeOrdered));
        PAssert.that(probeRows).containsInAnyOrder(expected);
      }
    }
    pipeline.run().waitUntilFinish();
  }

  private static Row timeline(long ts, String payload) {
    return Row.withSchema(TIMELINE).addValues(ts, payload).build();
  }

  /**
   * Integer keys and sort fields of other types, each with values before zero: INT32, DATETIME
   * (Joda millis) and {@code SqlTypes.TIMESTAMP} (micros, as java.time.Instant).
   */
  public static void otherKeyAndSortTypes(TestPipeline pipeline) {
    Schema ints = Schema.builder().addInt16Field("key").addInt32Field("t").build();
    PAssert.that(
            pipeline
                .apply(
                    "Ints",
                    Create.of(
                            Row.withSchema(ints).addValues((short) -2, 7).build(),
                            Row.withSchema(ints).addValues((short) -2, -8).build(),
                            Row.withSchema(ints).addValues((short) 3, Integer.MIN_VALUE).build(),
                            Row.withSchema(ints).addValues((short) -2, 0).build())
                        .withRowSchema(ints))
                .apply("GroupInts", GroupIntoProbeRows.of("key", "t"))
                .apply("IntTimelines", timelines("key", "t")))
        .containsInAnyOrder("-2/0:[-8, 0, 7]", "3/0:[" + Integer.MIN_VALUE + "]");

    Schema millis = Schema.builder().addStringField("k").addDateTimeField("at").build();
    DateTime epoch = new DateTime(0, DateTimeZone.UTC);
    PAssert.that(
            pipeline
                .apply(
                    "Millis",
                    Create.of(
                            Row.withSchema(millis).addValues("k", epoch.plusMillis(1)).build(),
                            Row.withSchema(millis).addValues("k", epoch.minusYears(30)).build(),
                            Row.withSchema(millis).addValues("k", epoch.minusMillis(1)).build())
                        .withRowSchema(millis))
                .apply("GroupMillis", GroupIntoProbeRows.of("k", "at"))
                .apply("MillisTimelines", timelines("k", "at")))
        .containsInAnyOrder(
            "k/0:["
                + epoch.minusYears(30).toInstant()
                + ", "
                + epoch.minusMillis(1).toInstant()
                + ", "
                + epoch.plusMillis(1).toInstant()
                + "]");

    Schema micros =
        Schema.builder().addByteArrayField("k").addLogicalTypeField("at", SqlTypes.TIMESTAMP).build();
    Instant before = Instant.parse("1969-12-31T23:59:59.999998Z");
    Instant after = Instant.parse("1970-01-01T00:00:00.000001Z");
    Instant justBefore = Instant.parse("1969-12-31T23:59:59.999999Z");
    byte[] key = {0, 1, 0};
    PAssert.that(
            pipeline
                .apply(
                    "Micros",
                    Create.of(
                            Row.withSchema(micros).addValues(key, after).build(),
                            Row.withSchema(micros).addValues(key, justBefore).build(),
                            Row.withSchema(micros).addValues(key, before).build())
                        .withRowSchema(micros))
                .apply("GroupMicros", GroupIntoProbeRows.of("k", "at"))
                .apply(
                    "MicrosTimelines",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Row row) ->
                                Arrays.toString(row.getBytes("k"))
                                    + ":"
                                    + row.getArray("events").stream()
                                        .map(event -> ((Row) event).getValue("at").toString())
                                        .toList())))
        .containsInAnyOrder("[0, 1, 0]:[" + before + ", " + justBefore + ", " + after + "]");
    pipeline.run().waitUntilFinish();
  }

  /** Each probe row as "key/chunk:[sort values]", for cases whose rows are long to spell. */
  static MapElements<Row, String> timelines(String key, String sort) {
    return MapElements.into(TypeDescriptors.strings())
        .via(
            (Row row) ->
                row.getValue(key)
                    + "/"
                    + row.getInt32("chunk")
                    + ":"
                    + row.getArray("events").stream()
                        .map(
                            event -> {
                              Object value = ((Row) event).getValue(sort);
                              return String.valueOf(value);
                            })
                        .toList());
  }

  /** A null key fails the pipeline, naming the field. */
  public static void nullKeyFails(TestPipeline pipeline) {
    Schema nullableKey =
        Schema.builder().addNullableField("k", FieldType.STRING).addInt64Field("ts").build();
    pipeline
        .apply(
            Create.of(
                    Row.withSchema(nullableKey).addValues("a", 1L).build(),
                    Row.withSchema(nullableKey).addValues(null, 2L).build())
                .withRowSchema(nullableKey))
        .apply(GroupIntoProbeRows.of("k", "ts"));
    assertFailsWith(pipeline, "a row has a null key field 'k'");
  }

  /** A null sort value fails the pipeline, naming the field. */
  public static void nullSortValueFails(TestPipeline pipeline) {
    Schema nullableSort =
        Schema.builder().addStringField("k").addNullableField("ts", FieldType.INT64).build();
    pipeline
        .apply(
            Create.of(
                    Row.withSchema(nullableSort).addValues("a", 1L).build(),
                    Row.withSchema(nullableSort).addValues("a", null).build())
                .withRowSchema(nullableSort))
        .apply(GroupIntoProbeRows.of("k", "ts"));
    assertFailsWith(pipeline, "a row has a null sort field 'ts'");
  }

  private static void assertFailsWith(TestPipeline pipeline, String message) {
    Throwable failure = assertThrows(RuntimeException.class, () -> pipeline.run().waitUntilFinish());
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      messages.append(cause.getMessage()).append('\n');
    }
    assertTrue(messages.toString().contains(message), messages.toString());
  }

  static final int LARGE_KEY_EVENTS = 27_000;

  /**
   * One key of 27,000 events of about 130 bytes, in scrambled time order, with a sorter of 1 MB:
   * its runs overlap beyond the memory, are sorted on disk, and its one row is in order. Every
   * tenth event goes to one of seven small keys.
   */
  public static void keyLargerThanTheSortMemory(TestPipeline pipeline, Path spill) {
    int total = LARGE_KEY_EVENTS * 10 / 9;
    String padding = "x".repeat(100);
    PCollection<Row> events =
        pipeline
            .apply(GenerateSequence.from(0).to(total))
            .apply(
                MapElements.into(TypeDescriptors.rows())
                    .via(
                        (Long i) -> {
                          // 7919 is prime and does not divide the total: a permutation of times.
                          long ts = (i * 7919) % total - total / 2;
                          String key = i % 10 == 0 ? "small" + (i % 7) : "large";
                          return event(key, ts, padding + i);
                        }))
            .setRowSchema(EVENT);
    for (boolean assumeOrdered : new boolean[] {false, true}) {
      PCollection<Row> probeRows =
          events.apply(
              "Group" + assumeOrdered,
              GroupIntoProbeRows.of("k", "ts")
                  .withAssumeOrdered(assumeOrdered)
                  .withSorter(
                      BufferedExternalSorter.options()
                          .withMemoryMB(1)
                          .withTempLocation(spill.toString())));
      PAssert.that(probeRows)
          .satisfies(
              rows -> {
                long eventCount = 0;
                int largeRows = 0;
                for (Row row : rows) {
                  List<Row> timeline = new ArrayList<>();
                  row.getArray("events").forEach(event -> timeline.add((Row) event));
                  assertEquals(row.getInt64("event_count"), (long) timeline.size());
                  for (int e = 1; e < timeline.size(); e++) {
                    assertTrue(
                        timeline.get(e - 1).getInt64("ts") < timeline.get(e).getInt64("ts"),
                        row.getString("k") + " out of order at " + e);
                  }
                  if (row.getString("k").equals("large")) {
                    largeRows++;
                    assertEquals(LARGE_KEY_EVENTS, timeline.size());
                  }
                  eventCount += timeline.size();
                }
                assertEquals(1, largeRows);
                assertEquals(total, eventCount);
                return null;
              });
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long sortedOnDisk =
        ProbeRowsMetrics.counter(result, ProbeRowsMetrics.EVENTS_SORTED_ON_DISK);
    assertTrue(sortedOnDisk > 0, "nothing was sorted on disk: the case tests no spill");
  }

  /** A POJO with a schema inferred from its public fields. */
  @DefaultSchema(JavaFieldSchema.class)
  public static final class Probe {
    public String source;
    public long time;
    public String payload;

    public Probe() {}

    Probe(String source, long time) {
      this.source = source;
      this.time = time;
      this.payload = source + "@" + time;
    }

    // Beam compares elements to detect mutation; without these, every element draws a warning.
    @Override
    public boolean equals(Object other) {
      return other instanceof Probe
          && Objects.equals(source, ((Probe) other).source)
          && time == ((Probe) other).time
          && Objects.equals(payload, ((Probe) other).payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(source, time, payload);
    }
  }

  public static void pojos(TestPipeline pipeline) {
    PCollection<Row> probeRows =
        pipeline
            .apply(
                Create.of(
                    new Probe("b", 2),
                    new Probe("a", 1),
                    new Probe("b", 1),
                    new Probe("a", -3),
                    new Probe("c", 1)))
            .apply(GroupIntoProbeRows.of("source", "time"));
    PAssert.that(probeRows.apply(timelines("source", "payload")))
        .containsInAnyOrder("a/0:[a@-3, a@1]", "b/0:[b@1, b@2]", "c/0:[c@1]");
    pipeline.run().waitUntilFinish();
  }

  /**
   * Avro records from Beam's own ParquetIO, with Beam schemas: a timestamp-millis time, before
   * 1970 too, and a nullable string payload.
   */
  public static void avroRecordsFromParquetIo(TestPipeline pipeline, Path folder)
      throws IOException {
    org.apache.avro.Schema schema =
        SchemaBuilder.record("event")
            .fields()
            .requiredString("src_addr")
            .name("event_time")
            .type(
                org.apache.avro.LogicalTypes.timestampMillis()
                    .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG)))
            .noDefault()
            .optionalString("payload")
            .endRecord();
    long[][] fileTimes = {{5, -2000, 3}, {-1, 4}};
    for (int file = 0; file < fileTimes.length; file++) {
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(
                  new LocalOutputFile(folder.resolve("events-" + file + ".parquet")))
              .withSchema(schema)
              .build()) {
        for (long time : fileTimes[file]) {
          GenericRecord record = new GenericData.Record(schema);
          record.put("src_addr", time % 2 == 0 ? "even" : "odd");
          record.put("event_time", time);
          record.put("payload", time == 3 ? null : "p" + time);
          writer.write(record);
        }
      }
    }
    PCollection<Row> probeRows =
        pipeline
            .apply(
                ParquetIO.read(schema)
                    .from(folder.resolve("*.parquet").toString())
                    .withBeamSchemas(true))
            .apply(GroupIntoProbeRows.of("src_addr", "event_time"));
    PAssert.that(probeRows.apply(timelines("src_addr", "payload")))
        .containsInAnyOrder("even/0:[p-2000, p4]", "odd/0:[p-1, null, p5]");
    pipeline.run().waitUntilFinish();
  }
}
