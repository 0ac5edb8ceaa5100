package dev.probe.rows.pipeline.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.diagnose.OrderCheck.FileOrder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/** When {@code diagnose} may call an input safe for {@code --assumeOrdered}. */
class DiagnosisTest {
  private static KeyCounter counter(int maxKeys) {
    KeyCounter counter = new KeyCounter(maxKeys, 1 << 20);
    for (int i = 0; i < 1_000; i++) {
      counter.add(("key-" + i).getBytes(StandardCharsets.UTF_8), 1, 0, 0, false);
    }
    return counter;
  }

  private static Diagnosis diagnosis(KeyCounter counter, long rowsGoingBack, long fallbacks) {
    DiagnoseOptions options = PipelineOptionsFactory.as(DiagnoseOptions.class);
    options.setInput("events.parquet");
    FileOrder file = new FileOrder("events.parquet");
    file.rows = 1_000;
    file.keyRuns = 1_000;
    file.rowsGoingBack = rowsGoingBack;
    return new Diagnosis(
        options,
        Types.required(PrimitiveTypeName.BINARY).named("src_addr"),
        1,
        List.of(file),
        counter,
        new Diagnosis.OrderedRun(8, 1, 0, 0, fallbacks, 0, 0),
        1.0);
  }

  private static String json(Diagnosis diagnosis) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DiagnosisReport.printJson(diagnosis, new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exactCountsWithNothingGoingBackAreSafe() {
    assertEquals(Boolean.TRUE, diagnosis(counter(10_000), 0, 0).assumeOrderedIsSafe());
  }

  @Test
  void aRowGoingBackOrARowGroupFallingBackIsNotSafe() {
    assertEquals(Boolean.FALSE, diagnosis(counter(10_000), 1, 0).assumeOrderedIsSafe());
    assertEquals(Boolean.FALSE, diagnosis(counter(10_000), 0, 1).assumeOrderedIsSafe());
    assertEquals(Boolean.FALSE, diagnosis(counter(10), 1, 0).assumeOrderedIsSafe());
  }

  @Test
  void anEstimateThatSeesNothingGoingBackIsUnknown() {
    Diagnosis diagnosis = diagnosis(counter(10), 0, 0);
    assertTrue(diagnosis.estimated);
    assertNull(diagnosis.assumeOrderedIsSafe());
    String json = json(diagnosis);
    assertTrue(json.contains("\"assumeOrderedSafe\":null"), json);
    assertTrue(json.contains("\"lowerBound\":true"), json);
    assertTrue(json.contains("--assumeOrdered may be safe"), json);
  }
}
