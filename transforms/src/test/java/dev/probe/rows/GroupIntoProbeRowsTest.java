package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.probe.rows.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link GroupIntoProbeRowsCases} on the DirectRunner, and the refusals at construction. */
@ExtendWith(TestPipelineExtension.class)
class GroupIntoProbeRowsTest {
  @TempDir Path temp;

  @Test
  void eightMixedRows(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.eightMixedRows(pipeline);
  }

  @Test
  void maxEventsPerRow(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.maxEventsPerRow(pipeline);
  }

  @Test
  void tiesNegativeTimesAndNullPayloads(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.tiesNegativeTimesAndNullPayloads(pipeline);
  }

  @Test
  void otherKeyAndSortTypes(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.otherKeyAndSortTypes(pipeline);
  }

  @Test
  void nullKeyFails(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.nullKeyFails(pipeline);
  }

  @Test
  void nullSortValueFails(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.nullSortValueFails(pipeline);
  }

  @Test
  void keyLargerThanTheSortMemory(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.keyLargerThanTheSortMemory(pipeline, temp);
  }

  @Test
  void pojos(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.pojos(pipeline);
  }

  @Test
  void avroRecordsFromParquetIo(TestPipeline pipeline) throws IOException {
    GroupIntoProbeRowsCases.avroRecordsFromParquetIo(pipeline, temp);
  }

  private static String refusal(Schema schema, GroupIntoProbeRows transform) {
    Pipeline pipeline = Pipeline.create();
    PCollection<Row> rows = pipeline.apply(Create.empty(RowCoder.of(schema)));
    return assertThrows(IllegalArgumentException.class, () -> rows.apply(transform)).getMessage();
  }

  @Test
  void refusesUnsupportedFieldsWhenApplied() {
    Schema schema =
        Schema.builder()
            .addStringField("k")
            .addDoubleField("score")
            .addInt64Field("ts")
            .addDecimalField("amount")
            .build();
    assertEquals(
        "the sort field 'score' is of type DOUBLE NOT NULL; a sort field must be BYTE, INT16, INT32,"
            + " INT64, DATETIME, or a timestamp, date, time or datetime logical type",
        refusal(schema, GroupIntoProbeRows.of("k", "score")));
    assertEquals(
        "the key field 'amount' is of type DECIMAL NOT NULL; a key must be STRING, BYTES, BYTE,"
            + " INT16, INT32 or INT64",
        refusal(schema, GroupIntoProbeRows.of("amount", "ts")));
    assertEquals(
        "the input has no sort field 'time'; its fields: k, score, ts, amount",
        refusal(schema, GroupIntoProbeRows.of("k", "time")));
  }

  @Test
  void refusesInputWithoutSchemaOrOutsideTheGlobalWindow() {
    Pipeline pipeline = Pipeline.create();
    PCollection<String> strings = pipeline.apply(Create.of("a"));
    assertThrows(
        IllegalArgumentException.class, () -> strings.apply(GroupIntoProbeRows.of("k", "ts")));
    PCollection<Row> windowed =
        pipeline
            .apply(
                "Rows",
                Create.of(GroupIntoProbeRowsCases.event("a", 1, "p"))
                    .withRowSchema(GroupIntoProbeRowsCases.EVENT))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    assertThrows(
        IllegalArgumentException.class, () -> windowed.apply(GroupIntoProbeRows.of("k", "ts")));
  }

  @Test
  void refusesAKeyNamedLikeAProbeRowField() {
    Schema schema =
        Schema.builder().addStringField("events").addNullableField("ts", FieldType.INT64).build();
    assertEquals(
        "the key field cannot be named 'events': a probe row has a field of that name",
        refusal(schema, GroupIntoProbeRows.of("events", "ts")));
  }
}
