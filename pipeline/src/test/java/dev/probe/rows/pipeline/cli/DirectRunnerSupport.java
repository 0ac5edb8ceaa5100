package dev.probe.rows.pipeline.cli;

import dev.probe.rows.pipeline.RunnerSupport;
import dev.probe.rows.pipeline.WorkerThreads;
import java.time.Duration;
import org.apache.beam.sdk.options.PipelineOptions;

/** The pipeline module's tests run on the DirectRunner, the only runner on their classpath. */
public final class DirectRunnerSupport implements RunnerSupport {
  @Override
  public String defaultRunner() {
    return "DirectRunner";
  }

  @Override
  public void configure(PipelineOptions options) {}

  @Override
  public int parallelism(PipelineOptions options) {
    return 2;
  }

  @Override
  public String remoteUi(PipelineOptions options) {
    return null;
  }

  @Override
  public Runnable workersStopped(PipelineOptions options) {
    return WorkerThreads.awaitNewThreadsNamed("direct-runner-worker", Duration.ofSeconds(30));
  }

  @Override
  public void cancelRemoteJob(PipelineOptions options) {}

  @Override
  public String optionsHelp() {
    return "  --runner=DirectRunner\n";
  }
}
