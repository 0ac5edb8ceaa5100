package dev.probe.rows.pipeline;

/**
 * The allowed values of the numeric options, checked before any work. Their {@code --help} texts
 * state the same ranges from these constants.
 */
public final class OptionRange {
  private OptionRange() {}

  /**
   * Each shard is an output file with its own writer and footer; beyond this many, the files'
   * fixed cost outweighs the work on inputs of any size one run can hold.
   */
  public static final int MAX_NUM_SHARDS = 10_000;

  /** The external sorter's limit: it keeps its buffer in one Java array. */
  public static final int MAX_SORT_MEMORY_MB = 2047;

  /**
   * Requires {@code min <= value <= max}, or {@code value == 0} when {@code zeroMeans} says what 0
   * stands for.
   *
   * @throws UsageException one line naming the option, the allowed range and the value given
   */
  public static void check(String option, long value, long min, long max, String zeroMeans) {
    check(option, value, min, max, zeroMeans, null);
  }

  /**
   * As {@link #check(String, long, long, long, String)}, saying where the maximum comes from.
   *
   * @param maxIs e.g. "the cluster's task slots", or null
   */
  public static void check(
      String option, long value, long min, long max, String zeroMeans, String maxIs) {
    if ((value >= min && value <= max) || (value == 0 && zeroMeans != null)) {
      return;
    }
    throw new UsageException(
        "--"
            + option
            + " must be "
            + (max == Long.MAX_VALUE ? min + " or more" : "between " + min + " and " + max)
            + (maxIs == null ? "" : " (" + maxIs + ")")
            + (zeroMeans == null ? "" : " (or 0: " + zeroMeans + ")")
            + ", got "
            + value);
  }
}
