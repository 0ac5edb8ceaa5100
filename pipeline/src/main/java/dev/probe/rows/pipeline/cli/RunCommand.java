package dev.probe.rows.pipeline.cli;

import dev.probe.rows.InputPlan;
import dev.probe.rows.InvalidInputException;
import dev.probe.rows.LiveProgress;
import dev.probe.rows.OutputClaim;
import dev.probe.rows.OutputDirectory;
import dev.probe.rows.ProbeRowsMetrics;
import dev.probe.rows.Shards;
import dev.probe.rows.StorageException;
import dev.probe.rows.pipeline.OptionRange;
import dev.probe.rows.pipeline.ProbeRowsOptions;
import dev.probe.rows.pipeline.ProbeRowsPipeline;
import dev.probe.rows.pipeline.RunnerSupport;
import dev.probe.rows.pipeline.UsageException;
import dev.probe.rows.sort.LocalFolders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** {@code probe-rows run}: plans the input, runs the job, commits or cleans up, and reports. */
final class RunCommand {
  /** The message of the IOException a write to a full disk throws. */
  private static final String NO_SPACE = "No space left on device";

  /** Set by the launcher when it runs the JVM with its quick compiler only, for a small input. */
  private static final String QUICK_JIT = "probe-rows.quickJit";

  private final RunnerSupport runners;
  private final PrintStream out;
  private final PrintStream err;

  public RunCommand(RunnerSupport runners, PrintStream out, PrintStream err) {
    this.runners = runners;
    this.out = out;
    this.err = err;
  }

  /** What a finished run counted. */
  public static final class Summary {
    public final long rowsRead;
    public final long rejectedNullKey;
    public final long rejectedNullSort;
    public final long probeRows;
    public final long events;
    public final long orderViolations;
    public final long keysInterleaved;
    public final long eventsSortedOnDisk;
    public final long rowGroupsOwnKeysWritten;
    public final long rowGroupsOwnKeysAbandoned;
    public final long keyRangesMerged;
    public final long keyRangesFallenBack;
    public final long keys;
    public final long largestKey;

    Summary(Map<String, Long> counters) {
      rowsRead = counters.getOrDefault(ProbeRowsMetrics.ROWS_READ, 0L);
      rejectedNullKey = counters.getOrDefault(ProbeRowsMetrics.REJECTED_NULL_KEY, 0L);
      rejectedNullSort = counters.getOrDefault(ProbeRowsMetrics.REJECTED_NULL_SORT, 0L);
      probeRows = counters.getOrDefault(ProbeRowsMetrics.PROBE_ROWS_WRITTEN, 0L);
      events = counters.getOrDefault(ProbeRowsMetrics.EVENTS_WRITTEN, 0L);
      orderViolations = counters.getOrDefault(ProbeRowsMetrics.ORDER_VIOLATIONS, 0L);
      keysInterleaved = counters.getOrDefault(ProbeRowsMetrics.KEYS_INTERLEAVED, 0L);
      eventsSortedOnDisk = counters.getOrDefault(ProbeRowsMetrics.EVENTS_SORTED_ON_DISK, 0L);
      rowGroupsOwnKeysWritten =
          counters.getOrDefault(ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_WRITTEN, 0L);
      rowGroupsOwnKeysAbandoned =
          counters.getOrDefault(ProbeRowsMetrics.ROW_GROUPS_OWN_KEYS_ABANDONED, 0L);
      keyRangesMerged = counters.getOrDefault(ProbeRowsMetrics.KEY_RANGES_MERGED, 0L);
      keyRangesFallenBack = counters.getOrDefault(ProbeRowsMetrics.KEY_RANGES_FALLEN_BACK, 0L);
      keys = counters.getOrDefault(ProbeRowsMetrics.EVENTS_PER_KEY + ".count", 0L);
      largestKey = counters.getOrDefault(ProbeRowsMetrics.EVENTS_PER_KEY + ".max", 0L);
    }

    public long rejected() {
      return rejectedNullKey + rejectedNullSort;
    }
  }

  public Summary run(ProbeRowsOptions options) {
    checkValues(options);
    runners.configure(options);
    int parallelism = runners.parallelism(options);
    boolean workersInThisJvm = runners.remoteUi(options) == null;
    if (options.getSortMemoryMb() == 0) {
      options.setSortMemoryMb(
          ProbeRowsPipeline.automaticSortMemoryMb(parallelism, workersInThisJvm));
    } else if (workersInThisJvm) {
      checkSortMemoryFitsHeap(options.getSortMemoryMb(), parallelism);
    }
    FileSystems.setDefaultPipelineOptions(options);
    OutputLocation.check(options.getInput(), options.getOutput());
    long start = System.nanoTime();

    OutputDirectory output = output(options);
    String runId = UUID.randomUUID().toString();
    Path spill = Paths.get(options.getSpillDirectory(), "probe-rows-" + runId);
    OutputClaim claim =
        claim(output, OutputClaim.Holder.thisProcess(runId, spill.toString()), options);
    // Ctrl-C ends this JVM, and embedded workers with it; a remote job is cancelled explicitly.
    Thread onInterrupt =
        new Thread(
            () -> {
              runners.cancelRemoteJob(options);
              IllegalStateException interrupted = new IllegalStateException("interrupted");
              abortQuietly(output, runId, interrupted);
              // Once aborted, no writer opens a file; one may have been opening one just then.
              sleepQuietly(Duration.ofMillis(500));
              abortQuietly(output, runId, interrupted);
              removeSpill(spill, null);
              releaseQuietly(claim, interrupted);
            },
            "probe-rows-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    Throwable failure = null;
    try {
      return runClaimed(options, output, runId, spill, parallelism, start);
    } catch (RuntimeException | Error e) {
      failure = e;
      // Before the abort frees the disk the output's files filled.
      RuntimeException diskFull = diskFull(e, options, output.path());
      abortQuietly(output, runId, e);
      if (diskFull != null) {
        throw diskFull;
      }
      throw e;
    } finally {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
      removeSpill(spill, failure);
      if (failure != null) {
        releaseQuietly(claim, failure);
      } else {
        releaseOrWarn(claim);
      }
    }
  }

  /** The run itself, once it holds the output; the caller cleans up after it. */
  private Summary runClaimed(
      ProbeRowsOptions options,
      OutputDirectory output,
      String runId,
      Path spill,
      int parallelism,
      long start) {
    InputPlan plan = InputPlan.of(options.getInput());
    prepare(output, options.getOverwrite());
    createSpillDirectory(spill, options.getSpillDirectory());
    runners.prepareEmbeddedWorkers(options, spill);
    Shards shards =
        runners.shards(
            options, ProbeRowsPipeline.numShards(options.getNumShards(), parallelism));
    if (options.getNumShards() > plan.rowCount()) {
      err.printf(
          "probe-rows: warning: --numShards=%d is more than the input's %,d rows, so at least %,d"
              + " shards get no key%n",
          options.getNumShards(), plan.rowCount(), options.getNumShards() - plan.rowCount());
    }

    Pipeline pipeline = Pipeline.create(options);
    ProbeRowsPipeline.build(
        pipeline, options, plan, shards, spill.toString(), runId, runners.dataErrors(options));
    Summary summary;
    long peakHeap;
    try (LiveProgress live = LiveProgress.watch(runId);
        ProgressReporter progress =
            new ProgressReporter(out, live, plan.rowCount(), spill, runners.remoteUi(options));
        HeapPeak heap = HeapPeak.start()) {
      Runnable workersStopped = runners.workersStopped(options);
      PipelineResult result;
      try {
        result = pipeline.run();
        PipelineResult.State state = result.waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the job ended in state " + state);
        }
      } catch (RuntimeException | Error e) {
        workersStopped.run();
        throw e;
      }
      summary = new Summary(counters(result));
      peakHeap = heap.bytes();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<MatchResult.Metadata> parts = partFiles(output);
    out.printf(
        "probe-rows: read %,d rows from %,d files; wrote %,d probe rows of %,d keys (largest: %,d"
            + " events) with %,d events to %s in %,d files of %,d MB; %.1f s, peak heap %,d MB%s%n",
        summary.rowsRead,
        plan.fileCount(),
        summary.probeRows,
        summary.keys,
        summary.largestKey,
        summary.events,
        output.path(),
        parts.size(),
        parts.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum() / (1024 * 1024),
        seconds,
        peakHeap / (1024 * 1024),
        Boolean.getBoolean(QUICK_JIT)
            ? "; quick JIT only, as the input is small (JAVA_OPTS=-XX:TieredStopAtLevel=4 for both"
                + " compilers)"
            : "");
    out.printf(
        "probe-rows: rejected %,d rows (null %s: %,d, null %s: %,d)%s%n",
        summary.rejected(),
        options.getKeyColumn(),
        summary.rejectedNullKey,
        options.getSortColumn(),
        summary.rejectedNullSort,
        summary.rejected() > 0 ? " to " + output.rejectsPath() : "");
    if (options.getAssumeOrdered()) {
      out.printf(
          "probe-rows: --assumeOrdered: %,d rows went back in time within their key's run in its"
              + " row group and shard (%,d shards, %,d MB sort memory); %,d keys had overlapping"
              + " runs, merged (%,d events sorted on disk); %,d of %,d row groups wrote the keys"
              + " they alone hold (%,d were out of order and shipped them); %,d key ranges merged"
              + " from files each sorted by key (%,d were out of order and shipped them)%n",
          summary.orderViolations,
          shards.count(),
          options.getSortMemoryMb(),
          summary.keysInterleaved,
          summary.eventsSortedOnDisk,
          summary.rowGroupsOwnKeysWritten,
          plan.slices().size(),
          summary.rowGroupsOwnKeysAbandoned,
          summary.keyRangesMerged,
          summary.keyRangesFallenBack);
    }
    return summary;
  }

  private static void checkValues(ProbeRowsOptions options) {
    OptionRange.check(
        "sortMemoryMb",
        options.getSortMemoryMb(),
        1,
        OptionRange.MAX_SORT_MEMORY_MB,
        "automatic");
    OptionRange.check(
        "numShards", options.getNumShards(), 1, OptionRange.MAX_NUM_SHARDS, "four per worker");
    OptionRange.check(
        "maxEventsPerRow", options.getMaxEventsPerRow(), 1, Long.MAX_VALUE, "no limit");
  }

  /**
   * An explicit sort budget must leave room for everything else on the heap: as the automatic one,
   * which takes an eighth of it, the sorters of all workers may hold at most half of it.
   */
  private static void checkSortMemoryFitsHeap(int sortMemoryMb, int parallelism) {
    long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    long maxMb = heapMb / 2 / Math.max(1, parallelism);
    if (sortMemoryMb > maxMb) {
      throw new UsageException(
          String.format(
              "--sortMemoryMb=%d for each of %d workers is more than half the heap of %,d MB: at"
                  + " most %d, or give the JVM more (JAVA_OPTS=-Xmx...)",
              sortMemoryMb, parallelism, heapMb, maxMb));
    }
  }

  private static void prepare(OutputDirectory output, boolean overwrite) {
    try {
      List<String> foreign = output.foreignFiles();
      if (!foreign.isEmpty()) {
        throw new UsageException(
            "--output="
                + output.path()
                + " or its rejects folder holds files probe-rows did not write ("
                + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                + (foreign.size() > 3 ? ", ..." : "")
                + "); choose an empty or new folder");
      }
      if (!output.isEmpty()) {
        if (!overwrite) {
          throw new UsageException(
              "--output="
                  + output.path()
                  + " already holds probe rows; pass --overwrite to replace them");
        }
        output.clearPreviousOutput();
      }
    } catch (IOException e) {
      throw new StorageException("cannot use --output=" + output.path(), e);
    }
  }

  private static void createSpillDirectory(Path spill, String spillDirectory) {
    try {
      Files.createDirectories(spill);
      Path probe = Files.createTempFile(spill, "write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      throw new InvalidInputException(
          "cannot write the spill folder --spillDirectory=" + spillDirectory + ": " + e, e);
    }
  }

  private static OutputDirectory output(ProbeRowsOptions options) {
    try {
      return ProbeRowsPipeline.output(options);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--output: " + e.getMessage());
    }
  }

  /**
   * Takes the output before anything reads the input; a run that holds it, or held it and ended
   * without releasing it, is one line and exit status 3.
   */
  private static OutputClaim claim(
      OutputDirectory output, OutputClaim.Holder me, ProbeRowsOptions options) {
    try {
      return OutputClaim.take(output, me, options.getOverwrite());
    } catch (OutputClaim.OutputInUse e) {
      String holder = e.holder().describe() + ", " + OutputClaim.OutputInUse.formatAge(e.age());
      if (e.holder().hasEnded()) {
        throw new InvalidInputException(
            "--output="
                + output.path()
                + " was left by "
                + holder
                + " ago, which ended without cleaning up; rerun with --overwrite to take it over",
            e);
      }
      throw new InvalidInputException(
          "--output="
              + output.path()
              + " is in use by "
              + holder
              + " ago; wait for it to end, or, if it is gone, delete "
              + e.claim(),
          e);
    } catch (IOException e) {
      throw new StorageException("cannot use --output=" + output.path(), e);
    }
  }

  private static void releaseQuietly(OutputClaim claim, Throwable failure) {
    try {
      claim.release();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void releaseOrWarn(OutputClaim claim) {
    try {
      claim.release();
    } catch (IOException | RuntimeException e) {
      err.println("probe-rows: warning: cannot release the output (" + e + ")");
    }
  }

  private static Map<String, Long> counters(PipelineResult result) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(ProbeRowsMetrics.NAMESPACE))
                    .build());
    Map<String, Long> counters = new HashMap<>();
    for (MetricResult<Long> counter : metrics.getCounters()) {
      counters.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
    }
    for (MetricResult<DistributionResult> distribution : metrics.getDistributions()) {
      String name = distribution.getName().getName();
      counters.merge(name + ".count", distribution.getAttempted().getCount(), Long::sum);
      counters.merge(name + ".max", distribution.getAttempted().getMax(), Math::max);
    }
    return counters;
  }

  /** The run's committed part files; none if they cannot be listed (the summary is then short). */
  private static List<MatchResult.Metadata> partFiles(OutputDirectory output) {
    try {
      return FileSystems.match(output.path() + "part-*.parquet", EmptyMatchTreatment.ALLOW)
          .metadata();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Which folder's disk filled up, when one did: the output's, if a message names an output file or
   * its local disk is still full (Hadoop's local writes fail with an FSError that names no file);
   * otherwise the spill folder's, where the merge, the external sorter and embedded Flink's shuffle
   * write.
   */
  private static RuntimeException diskFull(
      Throwable failure, ProbeRowsOptions options, String outputPath) {
    boolean full = false;
    boolean output = false;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      full |= message.contains(NO_SPACE);
      output |= message.contains(outputPath);
    }
    if (!full) {
      return null;
    }
    output |= localDiskFull(outputPath);
    return new InvalidInputException(
        output
            ? "the disk of --output="
                + options.getOutput()
                + " is full ("
                + NO_SPACE
                + "): free space or choose another folder; nothing was published"
            : "the disk of --spillDirectory="
                + options.getSpillDirectory()
                + " is full ("
                + NO_SPACE
                + "): free space or point --spillDirectory at a larger disk; nothing was"
                + " published",
        failure);
  }

  /** Whether {@code path} is a local folder whose disk has less than 1 MB free. */
  private static boolean localDiskFull(String path) {
    if (path.contains("://") && !path.startsWith("file:")) {
      return false;
    }
    try {
      Path folder = Paths.get(path.replaceFirst("^file://", ""));
      return Files.exists(folder) && Files.getFileStore(folder).getUsableSpace() < (1 << 20);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void abortQuietly(OutputDirectory output, String runId, Throwable failure) {
    try {
      output.abort(runId);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * A spill folder that cannot be removed must not hide why a run failed, nor fail a run whose
   * output is already committed: it is reported beside the failure, or as a warning.
   */
  private void removeSpill(Path spill, Throwable failure) {
    try {
      LocalFolders.deleteRecursively(spill);
    } catch (IOException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        err.println(
            "probe-rows: warning: cannot remove the spill folder "
                + spill
                + " ("
                + e
                + "); delete it by hand");
      }
    }
  }
}
