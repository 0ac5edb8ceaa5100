package dev.probe.rows.pipeline.diagnose;

import dev.probe.rows.InputPlan;
import dev.probe.rows.diagnose.KeyTimeScanner;
import dev.probe.rows.pipeline.OptionRange;
import dev.probe.rows.pipeline.ProbeRowsPipeline;
import dev.probe.rows.pipeline.RunnerSupport;
import java.io.PrintStream;
import org.apache.beam.sdk.io.FileSystems;

/**
 * {@code probe-rows diagnose}: one pass over the key and sort columns of the input, reporting what
 * a {@code run} would meet: nulls, whether each key's time only goes forward in input order, what
 * a run with {@code --assumeOrdered} would count (the run's own reading decides it, see {@link
 * KeyTimeScanner}), how events spread over keys, and the memory the largest key needs. A report, so
 * it succeeds whatever it finds.
 */
public final class DiagnoseCommand {
  /** Exact counts up to this many distinct keys or bytes of keys (about 230 MB in all). */
  static final int MAX_EXACT_KEYS = 3_000_000;

  static final int MAX_EXACT_KEY_BYTES = 64 << 20;

  private final RunnerSupport runners;
  private final PrintStream out;

  public DiagnoseCommand(RunnerSupport runners, PrintStream out) {
    this.runners = runners;
    this.out = out;
  }

  public void run(DiagnoseOptions options) {
    OptionRange.check(
        "numShards", options.getNumShards(), 1, OptionRange.MAX_NUM_SHARDS, "four per worker");
    FileSystems.setDefaultPipelineOptions(options);
    long start = System.nanoTime();
    InputPlan plan = InputPlan.of(options.getInput());
    // Validates the columns exactly as run does, so errors read the same.
    KeyTimeScanner scanner =
        KeyTimeScanner.of(plan, options.getKeyColumn(), options.getSortColumn());
    int numShards =
        ProbeRowsPipeline.numShards(options.getNumShards(), runners.parallelism(options));
    KeyCounter eventsPerKey = new KeyCounter(MAX_EXACT_KEYS, MAX_EXACT_KEY_BYTES);
    OrderCheck check = new OrderCheck(eventsPerKey);
    int sortMemoryMb =
        options.getSortMemoryMb() > 0
            ? options.getSortMemoryMb()
            : ProbeRowsPipeline.automaticSortMemoryMb(
                runners.parallelism(options), runners.remoteUi(options) == null);
    KeyTimeScanner.OrderedReadCounts ordered = scanner.scan(numShards, sortMemoryMb, check);
    Diagnosis diagnosis =
        new Diagnosis(
            options,
            plan.schema().getType(options.getKeyColumn()).asPrimitiveType(),
            plan.fileCount(),
            check.files(),
            eventsPerKey,
            new Diagnosis.OrderedRun(
                numShards,
                plan.slices().size(),
                ordered.orderViolations(),
                ordered.rowGroupsOwnKeysWritten(),
                ordered.rowGroupsOwnKeysAbandoned(),
                ordered.keyRangesMerged(),
                ordered.keyRangesFallenBack()),
            (System.nanoTime() - start) / 1e9);
    if (options.getJson()) {
      DiagnosisReport.printJson(diagnosis, out);
    } else {
      DiagnosisReport.printText(diagnosis, out);
    }
  }
}
