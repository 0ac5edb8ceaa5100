package dev.probe.rows.runners;

import dev.probe.rows.Shards;
import org.apache.beam.runners.flink.translation.types.EncodedValueComparator;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.flink.util.MathUtils;

/**
 * Shards placed on workers the way Flink's batch shuffle places grouping keys, so that every worker
 * gets as many shards, and row groups, as the others.
 */
final class FlinkShards {
  private FlinkShards() {}

  static Shards placed(int count, int workers) {
    int keysPerWorker = Math.max(1, (count + workers - 1) / workers);
    int[][] keysByWorker = new int[workers][keysPerWorker];
    int[] found = new int[workers];
    int missing = workers * keysPerWorker;
    for (int key = 0; missing > 0; key++) {
      int worker = worker(key, workers);
      if (found[worker] < keysPerWorker) {
        keysByWorker[worker][found[worker]++] = key;
        missing--;
      }
    }
    return Shards.placed(count, keysByWorker);
  }

  /**
   * The worker Flink's batch GroupByKey sends a key to: Beam groups by the key's encoded bytes,
   * hashed by its {@link EncodedValueComparator}, and Flink's {@code OutputEmitter} hash-partitions
   * with {@code murmurHash(hash) % workers}.
   */
  static int worker(int key, int workers) {
    byte[] encoded;
    try {
      encoded = CoderUtils.encodeToByteArray(Shards.KEY_CODER, key);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode the grouping key " + key, e);
    }
    return MathUtils.murmurHash(new EncodedValueComparator(true).hash(encoded)) % workers;
  }
}
