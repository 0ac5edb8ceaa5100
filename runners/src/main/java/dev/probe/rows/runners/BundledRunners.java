package dev.probe.rows.runners;

import dev.probe.rows.DataErrors;
import dev.probe.rows.Shards;
import dev.probe.rows.pipeline.OptionRange;
import dev.probe.rows.pipeline.ProbeRowsOptions;
import dev.probe.rows.pipeline.RunnerSupport;
import dev.probe.rows.pipeline.WorkerThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.log4j.Level;
import org.apache.log4j.LogManager;

/** The runners in the jar: embedded or remote Flink (the default) and the DirectRunner. */
public final class BundledRunners implements RunnerSupport {
  /** Flink's default parallelism, {@code ExecutionConfig.PARALLELISM_DEFAULT}: not given. */
  private static final int NOT_GIVEN = -1;

  /** How long a failed run waits for the DirectRunner's workers before it cleans up anyway. */
  private static final Duration WORKERS_STOP_LIMIT = Duration.ofSeconds(30);

  /** The name of every DirectRunner worker thread (ExecutorServiceParallelExecutor). */
  private static final String DIRECT_RUNNER_WORKER = "direct-runner-worker";

  @Override
  public String defaultRunner() {
    // Measured on 2M events (README): embedded Flink streams each shard through its sort; the
    // DirectRunner holds every group in memory and re-checks every element.
    return FlinkRunner.class.getSimpleName();
  }

  @Override
  public DataErrors dataErrors(PipelineOptions options) {
    return options.getRunner() == FlinkRunner.class ? new FlinkDataErrors() : DataErrors.AS_THROWN;
  }

  @Override
  public void configure(PipelineOptions options) {
    boolean verbose = options.as(ProbeRowsOptions.class).getVerbose();
    // Runner logs warn about harmless things (operator name lengths, no Hadoop config) and log a
    // failed task's stack trace as an error; the command prints the one line that matters.
    LogManager.getRootLogger().setLevel(verbose ? Level.INFO : Level.OFF);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = remoteFlinkMaster(options);
    boolean parallelismGiven = flink.getParallelism() != NOT_GIVEN;
    if (master == null && parallelismGiven) {
      OptionRange.check(
          "parallelism",
          flink.getParallelism(),
          1,
          maxLocalParallelism(),
          null,
          "4 per core, at most 16, for workers in this JVM");
    } else if (parallelismGiven) {
      // More subtasks than slots would wait for slots that never come.
      OptionRange.check(
          "parallelism",
          flink.getParallelism(),
          1,
          FlinkRest.totalSlots(master),
          null,
          "the task slots of the Flink cluster at " + master);
    } else if (master != null) {
      // A remote job would otherwise run at parallelism 1 whatever the cluster's size.
      flink.setParallelism(Math.max(1, FlinkRest.availableSlots(master)));
    }
    int parallelism = flink.getParallelism();
    if (options.getRunner() == DirectRunner.class) {
      DirectOptions direct = options.as(DirectOptions.class);
      // Both checks encode every element again; the transforms' tests keep them on.
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
      if (parallelism > 0) {
        direct.setTargetParallelism(parallelism);
      }
    }
  }

  /**
   * Workers in this JVM share its cores, heap and embedded Flink's 64 MB of network buffers, which
   * serve at most 16 workers' shuffle; beyond 4 per core they add only contention.
   */
  private static int maxLocalParallelism() {
    return Math.min(16, 4 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Embedded Flink spills its shuffle sort into this run's spill folder (removed with it) rather
   * than into java.io.tmpdir, and gets off-heap memory in proportion to the heap: managed memory
   * (the shuffle's sort buffers) a sixteenth of it, at least 64 MB, and 64 MB of network buffers.
   * The shuffle carries a few large chunks of sorted events, so more managed memory only saves
   * sequential spill I/O, while every byte of it is resident memory. A user's own --flinkConfDir
   * wins.
   */
  @Override
  public void prepareEmbeddedWorkers(PipelineOptions options, Path spillDirectory) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (options.getRunner() != FlinkRunner.class
        || remoteFlinkMaster(options) != null
        || flink.getFlinkConfDir() != null) {
      return;
    }
    long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    Path confDir = spillDirectory.resolve("flink-conf");
    List<String> conf =
        List.of(
            "io.tmp.dirs: " + spillDirectory.resolve("flink"),
            "taskmanager.memory.managed.size: " + Math.max(64, heapMb / 16) + "m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m");
    try {
      Files.createDirectories(confDir);
      Files.write(confDir.resolve("flink-conf.yaml"), conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Flink's configuration to " + confDir, e);
    }
    flink.setFlinkConfDir(confDir.toString());
  }

  @Override
  public int parallelism(PipelineOptions options) {
    if (options.getRunner() == DirectRunner.class) {
      return options.as(DirectOptions.class).getTargetParallelism();
    }
    int parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  @Override
  public Shards shards(PipelineOptions options, int count) {
    if (options.getRunner() != FlinkRunner.class) {
      return Shards.hashed(count);
    }
    return FlinkShards.placed(count, parallelism(options));
  }

  @Override
  public String remoteUi(PipelineOptions options) {
    String master = remoteFlinkMaster(options);
    return master == null ? null : "http://" + master;
  }

  /**
   * The DirectRunner reports a failed job while its worker threads still run the bundles they
   * hold, which write spill and output files. Flink stops its tasks before it reports.
   */
  @Override
  public Runnable workersStopped(PipelineOptions options) {
    return options.getRunner() == DirectRunner.class
        ? WorkerThreads.awaitNewThreadsNamed(DIRECT_RUNNER_WORKER, WORKERS_STOP_LIMIT)
        : () -> {};
  }

  @Override
  public void cancelRemoteJob(PipelineOptions options) {
    String master = remoteFlinkMaster(options);
    if (master != null) {
      FlinkRest.cancelJobsNamed(master, options.getJobName());
    }
  }

  /** The REST address of a Flink cluster the job is submitted to, or null when embedded. */
  private static String remoteFlinkMaster(PipelineOptions options) {
    if (options.getRunner() != FlinkRunner.class) {
      return null;
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    return master.startsWith("[") ? null : master;
  }

  @Override
  public String optionsHelp() {
    return String.join(
        System.lineSeparator(),
        "  --runner=FlinkRunner|DirectRunner (default FlinkRunner)",
        "      FlinkRunner runs embedded in this JVM unless --flinkMaster names a cluster.",
        "  --parallelism=N (default: the number of cores; on a cluster, its free slots)",
        "      Parallel workers, on either runner: 1 to "
            + maxLocalParallelism()
            + " in this JVM (4 per core, at most 16), or",
        "      1 to the cluster's task slots with --flinkMaster.",
        "  --flinkMaster=host:port (default [auto])",
        "      A Flink 1.19 cluster's REST address; [auto] and [local] run embedded.",
        "");
  }
}
