package dev.probe.rows.pipeline.cli;

import dev.probe.rows.LiveProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Prints a progress line every few seconds while a job runs. */
final class ProgressReporter implements AutoCloseable {
  static final long INTERVAL_SECONDS = 5;

  private final PrintStream out;
  private final long inputRows;
  private final Path spill;
  private final String remoteUi;
  private final long start = System.nanoTime();
  private final LiveProgress progress;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "probe-rows-progress");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param progress the run's counts, which its workers add to when they run in this JVM
   * @param remoteUi where a remote runner shows progress (its workers' counters do not reach this
   *     JVM); null when the workers run here
   */
  ProgressReporter(
      PrintStream out, LiveProgress progress, long inputRows, Path spill, String remoteUi) {
    this.out = out;
    this.progress = progress;
    this.inputRows = inputRows;
    this.spill = spill;
    this.remoteUi = remoteUi;
    timer.scheduleAtFixedRate(this::report, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
  }

  private void report() {
    double seconds = (System.nanoTime() - start) / 1e9;
    if (remoteUi != null) {
      out.printf(
          "probe-rows: %.0f s: running; progress in the Flink web UI at %s%n", seconds, remoteUi);
      return;
    }
    long rows = progress.rowsRead();
    out.printf(
        "probe-rows: %.0f s: read %,d of %,d rows (%,.0f rows/s), wrote %,d probe rows with %,d"
            + " events, sort spill %,d MB%n",
        seconds,
        rows,
        inputRows,
        rows / seconds,
        progress.probeRowsWritten(),
        progress.eventsWritten(),
        spilledBytes() / (1024 * 1024));
  }

  private long spilledBytes() {
    try (Stream<Path> files = Files.walk(spill)) {
      return files.filter(Files::isRegularFile).mapToLong(ProgressReporter::size).sum();
    } catch (IOException | UncheckedIOException e) {
      // The sorter deletes files while we walk; this line is only an estimate.
      return 0;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
