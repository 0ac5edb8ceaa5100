package dev.probe.rows.pipeline;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** A runner's worker threads in this JVM, known by the name the runner gives them. */
public final class WorkerThreads {
  private WorkerThreads() {}

  /**
   * For {@link RunnerSupport#workersStopped}: called as a job starts, returns what waits, for at
   * most {@code limit}, until the threads named {@code name} that are alive then and were not
   * alive now have ended.
   */
  public static Runnable awaitNewThreadsNamed(String name, Duration limit) {
    Set<Thread> before = threadsNamed(name);
    return () -> {
      long deadline = System.nanoTime() + limit.toNanos();
      for (Thread worker : threadsNamed(name)) {
        long left = deadline - System.nanoTime();
        if (before.contains(worker) || left <= 0) {
          continue;
        }
        try {
          worker.join(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    };
  }

  private static Set<Thread> threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(name))
        .collect(Collectors.toSet());
  }
}
