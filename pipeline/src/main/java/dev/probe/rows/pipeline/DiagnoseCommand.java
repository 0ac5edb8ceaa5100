package dev.probe.rows.pipeline;

import dev.probe.rows.pipeline.OrderCheck.FileOrder;
import dev.probe.rows.transforms.FileSlice;
import dev.probe.rows.transforms.InputPlan;
import dev.probe.rows.transforms.KeyTimeScanner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;

/**
 * {@code probe-rows diagnose}: one pass over the key and sort columns of the input, reporting what
 * a {@code run} would meet: nulls, whether keys are already in time order, how events spread over
 * keys, and the memory the largest key needs. A report, so it succeeds whatever it finds.
 */
public final class DiagnoseCommand {
  /** Exact counts up to this many distinct keys or bytes of keys (about 160 MB in all). */
  static final int MAX_EXACT_KEYS = 3_000_000;

  static final int MAX_EXACT_KEY_BYTES = 64 << 20;

  private final PrintStream out;

  public DiagnoseCommand(PrintStream out) {
    this.out = out;
  }

  public void run(DiagnoseOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    long start = System.nanoTime();
    InputPlan plan = InputPlan.of(options.getInput());
    // Validates the columns exactly as run does, so errors read the same.
    KeyTimeScanner scanner =
        KeyTimeScanner.of(plan.schema(), options.getKeyColumn(), options.getSortColumn());
    KeyCounter eventsPerKey = new KeyCounter(MAX_EXACT_KEYS, MAX_EXACT_KEY_BYTES);
    OrderCheck check = new OrderCheck(eventsPerKey);
    List<FileOrder> files = new ArrayList<>();
    for (Map.Entry<String, Long> file : filesWithRows(plan).entrySet()) {
      files.add(check.check(scanner, file.getKey(), file.getValue()));
    }
    Diagnosis diagnosis =
        new Diagnosis(
            options,
            plan.schema().getType(options.getKeyColumn()).asPrimitiveType(),
            plan.fileCount(),
            files,
            eventsPerKey,
            (System.nanoTime() - start) / 1e9);
    if (options.getJson()) {
      DiagnosisReport.printJson(diagnosis, out);
    } else {
      DiagnosisReport.printText(diagnosis, out);
    }
  }

  /** Path and size of each file with rows, in name order; a file's slices are its row groups. */
  private static Map<String, Long> filesWithRows(InputPlan plan) {
    Map<String, Long> files = new LinkedHashMap<>();
    for (FileSlice slice : plan.slices()) {
      files.put(slice.path(), slice.fileSize());
    }
    return files;
  }
}
