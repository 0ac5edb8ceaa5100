package dev.probe.rows.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapPeakTest {
  private static final int MB = 1024 * 1024;

  /** Kept reachable so the collector cannot drop it before the heap is measured. */
  private static byte[][] held;

  @Test
  void seesWhatWasHeldAcrossACollectionAndNeverMoreThanTheHeap() throws InterruptedException {
    long max = Runtime.getRuntime().maxMemory();
    try (HeapPeak heap = HeapPeak.start()) {
      held = new byte[64][];
      for (int i = 0; i < held.length; i++) {
        held[i] = new byte[MB];
      }
      System.gc();
      held = null;
      System.gc();
      // The collectors' notifications arrive on a thread of their own, a moment later.
      long peak = heap.bytes();
      for (int wait = 0; wait < 100 && peak < 64L * MB; wait++) {
        Thread.sleep(50);
        peak = heap.bytes();
      }
      assertTrue(peak >= 64L * MB, "peak " + peak / MB + " MB, 64 MB were held");
      assertTrue(peak <= max, "peak " + peak / MB + " MB, heap " + max / MB + " MB");
    }
  }
}
