package dev.probe.rows;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Names of the counters the transforms report, in one namespace. */
public final class ProbeRowsMetrics {
  private ProbeRowsMetrics() {}

  public static final String NAMESPACE = "probe-rows";
  public static final String ROWS_READ = "rowsRead";
  public static final String REJECTED_NULL_KEY = "rejectedNullKey";
  public static final String REJECTED_NULL_SORT = "rejectedNullSort";

  /** Rows whose time is earlier than the previous row of the same key in the same file. */
  public static final String ORDER_VIOLATIONS = "orderViolations";

  /** Keys whose runs overlap in time, merged event by event. */
  public static final String KEYS_INTERLEAVED = "keysInterleaved";

  /** Events of overlapping runs that outgrew the merge's memory, sorted on disk instead. */
  public static final String EVENTS_SORTED_ON_DISK = "eventsSortedOnDisk";

  /** Row groups whose readers wrote the keys they alone hold (see {@code KeyRange}). */
  public static final String ROW_GROUPS_OWN_KEYS_WRITTEN = "rowGroupsOwnKeysWritten";

  /** Row groups that could have, but whose rows were out of key order: their keys were shipped. */
  public static final String ROW_GROUPS_OWN_KEYS_ABANDONED = "rowGroupsOwnKeysAbandoned";

  /**
   * Key windows whose row groups, from files each sorted by key, were merged into a file of probe
   * rows without a shuffle (see {@code KeyWindow}).
   */
  public static final String KEY_RANGES_MERGED = "keyRangesMerged";

  /** Key windows in which a file was out of key order: their rows were shipped after all. */
  public static final String KEY_RANGES_FALLEN_BACK = "keyRangesFallenBack";

  public static final String PROBE_ROWS_WRITTEN = "probeRowsWritten";
  public static final String EVENTS_WRITTEN = "eventsWritten";

  /** A distribution: its count is the keys written, its max the largest key's events. */
  public static final String EVENTS_PER_KEY = "eventsPerKey";

  /** A counter's attempted value in a finished run, summed over the steps that report it. */
  public static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
