package dev.probe.rows;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * How many shards the output has, and the grouping key of each shard and of each row group read.
 *
 * <p>A runner sends each key to a worker by hashing it, and with a handful of keys a hash is rarely
 * even: Flink puts shards 0-7 on two workers as 2 and 6, so one worker merges and writes three
 * times the events of the other while the other idles. When the runner's hash is known ({@link
 * #placed}), shard i takes a key that goes to worker i mod workers, and row groups, largest first,
 * are dealt to the workers in turn. Otherwise ({@link #hashed}) shard i is keyed i, each row group
 * gets a key of its own, and the runner's hash decides.
 *
 * <p>Keys are encoded with {@link #KEY_CODER}.
 */
public final class Shards implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The coder of every grouping key: the runner's hash sees these bytes. */
  public static final Coder<Integer> KEY_CODER = VarIntCoder.of();

  private final int count;

  /** {@code keysByWorker[w]}: keys the runner sends to worker w; no rows when unknown. */
  private final int[][] keysByWorker;

  private Shards(int count, int[][] keysByWorker) {
    if (count < 1) {
      throw new IllegalArgumentException("there must be at least 1 shard, got " + count);
    }
    this.count = count;
    this.keysByWorker = keysByWorker;
  }

  /** {@code count} shards keyed 0, 1, …; the runner's hash places them. */
  public static Shards hashed(int count) {
    return new Shards(count, new int[0][]);
  }

  /**
   * {@code count} shards placed on known workers.
   *
   * @param keysByWorker for each worker, distinct keys that the runner's shuffle sends to it;
   *     worker w needs one for each shard i with i mod workers = w
   */
  public static Shards placed(int count, int[][] keysByWorker) {
    int workers = keysByWorker.length;
    if (workers < 1) {
      throw new IllegalArgumentException("no workers to place shards on");
    }
    Set<Integer> seen = new HashSet<>();
    for (int w = 0; w < workers; w++) {
      int needed = (count - w + workers - 1) / workers;
      if (keysByWorker[w].length < Math.max(1, needed)) {
        throw new IllegalArgumentException(
            "worker " + w + " has " + keysByWorker[w].length + " keys, needs " + needed);
      }
      for (int key : keysByWorker[w]) {
        if (key < 0 || !seen.add(key)) {
          throw new IllegalArgumentException("keys must be distinct and not negative: " + key);
        }
      }
    }
    return new Shards(count, keysByWorker);
  }

  public int count() {
    return count;
  }

  /** The grouping key of {@code shard}. */
  public int key(int shard) {
    if (keysByWorker.length == 0) {
      return shard;
    }
    return keysByWorker[shard % keysByWorker.length][shard / keysByWorker.length];
  }

  /** The shard whose grouping key {@code key} is. */
  int shard(int key) {
    if (keysByWorker.length == 0) {
      return key;
    }
    for (int shard = 0; shard < count; shard++) {
      if (key(shard) == key) {
        return shard;
      }
    }
    throw new IllegalArgumentException("no shard has the key " + key);
  }

  /** The grouping key of the {@code dealt}-th row group, counting from the largest. */
  int rowGroupKey(int dealt) {
    if (keysByWorker.length == 0) {
      return dealt;
    }
    return keysByWorker[dealt % keysByWorker.length][0];
  }
}
