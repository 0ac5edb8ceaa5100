package dev.probe.rows.pipeline;

import dev.probe.rows.DataErrors;
import dev.probe.rows.Shards;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What the command line needs from the runners module, which alone depends on runner artifacts: the
 * default runner and runner-specific settings.
 */
public interface RunnerSupport {
  /** The runner {@code run} uses when {@code --runner} is not given. */
  String defaultRunner();

  /** Applies runner-specific settings (defaults, logging) before the pipeline is built. */
  void configure(PipelineOptions options);

  /**
   * Gives workers that run in this JVM this run's spill folder for their own temporary files, and
   * sizes their memory beside the heap; called once the folder exists. Nothing by default.
   */
  default void prepareEmbeddedWorkers(PipelineOptions options, Path spillDirectory) {}

  /** How many workers will process shards at once. */
  int parallelism(PipelineOptions options);

  /**
   * {@code count} shards, placed evenly on the workers where the runner's shuffle is known; by
   * default the runner's hash places them.
   */
  default Shards shards(PipelineOptions options, int count) {
    return Shards.hashed(count);
  }

  /**
   * How workers fail on input errors so that the runner does not retry them; by default they throw
   * the error itself.
   */
  default DataErrors dataErrors(PipelineOptions options) {
    return DataErrors.AS_THROWN;
  }

  /**
   * Where a remote runner shows the job's progress, or null when the workers run in this JVM and
   * add to the run's {@link dev.probe.rows.LiveProgress}.
   */
  String remoteUi(PipelineOptions options);

  /**
   * Called as the job starts; what it returns, run if the job fails, waits until the workers the
   * job started in this JVM have stopped, so that no file they write lands after the run's folders
   * are removed. By default the runner has stopped them before it reports the failure.
   */
  default Runnable workersStopped(PipelineOptions options) {
    return () -> {};
  }

  /** Cancels the job on a remote runner, when the command is interrupted; nothing when local. */
  void cancelRemoteJob(PipelineOptions options);

  /** Help for the runner options, one {@code --name=value} and its meaning per line. */
  String optionsHelp();
}
