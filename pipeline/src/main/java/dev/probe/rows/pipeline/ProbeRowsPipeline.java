package dev.probe.rows.pipeline;

import dev.probe.rows.DataErrors;
import dev.probe.rows.InputPlan;
import dev.probe.rows.OutputDirectory;
import dev.probe.rows.ParquetProbeRows;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.ProbeRowSettings;
import dev.probe.rows.Shards;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.values.PCollection;

/** Assembles the probe-rows job; a pure function of its arguments, so tests can run it. */
public final class ProbeRowsPipeline {
  private ProbeRowsPipeline() {}

  /**
   * Adds the job to {@code pipeline}.
   *
   * @param plan the input files, read before the pipeline is built
   * @param shards output files and their workers; see {@link #numShards}
   * @param spillDirectory where this run's sorters spill
   * @param runId names the output's temporary folder
   * @param dataErrors how workers fail on input errors, so that the runner does not retry them
   * @return the committed output files
   */
  public static PCollection<String> build(
      Pipeline pipeline,
      ProbeRowsOptions options,
      InputPlan plan,
      Shards shards,
      String spillDirectory,
      String runId,
      DataErrors dataErrors) {
    ProbeRowSchema schema =
        ProbeRowSchema.of(
            plan.schema(), options.getKeyColumn(), options.getSortColumn(), options.getColumns());
    BufferedExternalSorter.Options sorter =
        BufferedExternalSorter.options()
            .withTempLocation(spillDirectory)
            .withMemoryMB(options.getSortMemoryMb())
            .withExternalSorterType(options.getSorterType());
    ProbeRowSettings settings =
        ProbeRowSettings.of(schema, output(options))
            .withSorter(sorter)
            .withShards(shards)
            .withMaxEventsPerRow(options.getMaxEventsPerRow())
            .withAssumeOrdered(options.getAssumeOrdered())
            .withRunId(runId)
            .withDataErrors(dataErrors);
    return pipeline.apply("ProbeRows", ParquetProbeRows.from(plan, settings));
  }

  /** {@code --output}, with its rejects in {@code --rejectsOutput} if given. */
  public static OutputDirectory output(ProbeRowsOptions options) {
    OutputDirectory output = OutputDirectory.at(options.getOutput());
    return options.getRejectsOutput() == null
        ? output
        : output.withRejects(options.getRejectsOutput());
  }

  /**
   * {@code --numShards} ({@code requested}), or four shards per parallel worker: a shard that
   * holds a giant key then weighs less on its worker.
   */
  public static int numShards(int requested, int parallelism) {
    return requested > 0 ? requested : 4 * Math.max(1, parallelism);
  }

  /**
   * Sorters share the heap with Flink's and Beam's own buffers and the Parquet writers: together
   * they may use a quarter of it, and each holds up to twice its budget while it spills. A remote
   * worker's heap is unknown here; 128 MB fits the TaskManagers of runners/flink-cluster.
   */
  public static int automaticSortMemoryMb(int parallelism, boolean workersInThisJvm) {
    if (!workersInThisJvm) {
      return 128;
    }
    long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    return (int) Math.max(16, Math.min(256, heapMb / 8 / Math.max(1, parallelism)));
  }
}
