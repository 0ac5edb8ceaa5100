package dev.probe.rows.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A failed run waits for the workers its job started, and not for ever. */
class WorkerThreadsTest {
  private static final String NAME = "worker-threads-test";

  @Test
  void waitsForWorkersStartedAfterTheJobBegan() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread before = worker(release);
    Runnable stopped = WorkerThreads.awaitNewThreadsNamed(NAME, Duration.ofSeconds(30));
    Thread during = worker(release);
    Thread waiter = new Thread(stopped);
    waiter.start();
    waiter.join(300);
    assertTrue(waiter.isAlive(), "it returned while a worker of the job still ran");
    release.countDown();
    waiter.join(10_000);
    assertFalse(waiter.isAlive(), "it did not return once the job's worker ended");
    during.join();
    before.join();
  }

  @Test
  void waitsNoLongerThanItsLimit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Runnable stopped = WorkerThreads.awaitNewThreadsNamed(NAME, Duration.ofMillis(200));
    Thread stuck = worker(release);
    long start = System.nanoTime();
    stopped.run();
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "it waited past its limit");
    assertTrue(stuck.isAlive());
    release.countDown();
    stuck.join();
  }

  private static Thread worker(CountDownLatch release) {
    Thread worker =
        new Thread(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            NAME);
    worker.start();
    return worker;
  }
}
