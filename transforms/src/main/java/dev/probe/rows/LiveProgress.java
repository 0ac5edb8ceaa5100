package dev.probe.rows;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Counts of one run that its driver can read while the run goes on: Beam's metrics reach the
 * client only at the end on Flink. The driver {@linkplain #watch watches} the run by its id; the
 * workers look the run up by that id ({@link ProbeRowSettings#withRunId}) in their own JVM. Where
 * the workers run in the driver's JVM (the DirectRunner, embedded Flink) they find it and count;
 * on a remote worker no driver watches, so it counts nothing and the driver's counts stay at zero.
 */
public final class LiveProgress implements AutoCloseable {
  /** The runs the drivers in this JVM watch, by run id. */
  private static final ConcurrentMap<String, LiveProgress> WATCHED = new ConcurrentHashMap<>();

  /** What a worker counts into when no driver in its JVM watches its run: nothing. */
  @Internal
  public static final LiveProgress UNWATCHED = new LiveProgress(null);

  private final String runId;
  private final LongAdder rowsRead = new LongAdder();
  private final LongAdder eventsWritten = new LongAdder();
  private final LongAdder probeRowsWritten = new LongAdder();

  private LiveProgress(String runId) {
    this.runId = runId;
  }

  /** Counts the run {@code runId} in this JVM until closed. */
  public static LiveProgress watch(String runId) {
    LiveProgress progress = new LiveProgress(runId);
    if (WATCHED.putIfAbsent(runId, progress) != null) {
      throw new IllegalStateException("run " + runId + " is watched already");
    }
    return progress;
  }

  /** The counts of the run {@code runId}, or {@link #UNWATCHED}. */
  static LiveProgress of(String runId) {
    return WATCHED.getOrDefault(runId, UNWATCHED);
  }

  void rowsRead(long rows) {
    if (this != UNWATCHED) {
      rowsRead.add(rows);
    }
  }

  @Internal
  public void written(long probeRows, long events) {
    if (this != UNWATCHED) {
      probeRowsWritten.add(probeRows);
      eventsWritten.add(events);
    }
  }

  public long rowsRead() {
    return rowsRead.sum();
  }

  public long eventsWritten() {
    return eventsWritten.sum();
  }

  public long probeRowsWritten() {
    return probeRowsWritten.sum();
  }

  /** Stops watching: workers that look the run up from now on count nothing. */
  @Override
  public void close() {
    WATCHED.remove(runId, this);
  }
}
