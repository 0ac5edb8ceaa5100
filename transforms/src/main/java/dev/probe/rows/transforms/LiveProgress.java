package dev.probe.rows.transforms;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts that a driver can read while the job runs. Beam's metrics reach the client only at the end
 * on Flink; these are plain process-wide counters, so they show progress when the workers run in
 * the driver's JVM (the DirectRunner, embedded Flink) and stay at zero on a remote cluster.
 */
public final class LiveProgress {
  private static final LongAdder ROWS_READ = new LongAdder();
  private static final LongAdder EVENTS_WRITTEN = new LongAdder();
  private static final LongAdder PROBE_ROWS_WRITTEN = new LongAdder();

  private LiveProgress() {}

  static void rowsRead(long rows) {
    ROWS_READ.add(rows);
  }

  static void written(long probeRows, long events) {
    PROBE_ROWS_WRITTEN.add(probeRows);
    EVENTS_WRITTEN.add(events);
  }

  public static long rowsRead() {
    return ROWS_READ.sum();
  }

  public static long eventsWritten() {
    return EVENTS_WRITTEN.sum();
  }

  public static long probeRowsWritten() {
    return PROBE_ROWS_WRITTEN.sum();
  }
}
