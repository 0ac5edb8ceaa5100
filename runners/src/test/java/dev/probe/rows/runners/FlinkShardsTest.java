package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.probe.rows.Shards;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** Flink's batch shuffle sends each grouping key to the worker FlinkShards predicts. */
class FlinkShardsTest {
  private static final int WORKERS = 3;
  private static final int KEYS = 40;

  /** Grouping key to the subtask (1-based, from Flink's task thread name) that received it. */
  private static final Map<Integer, Integer> SUBTASK_OF_KEY = new ConcurrentHashMap<>();

  private static final class RecordSubtask extends DoFn<KV<Integer, Iterable<Integer>>, Void> {
    private static final Pattern SUBTASK = Pattern.compile("\\((\\d+)/" + WORKERS + "\\)");

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Integer>> group) {
      Matcher subtask = SUBTASK.matcher(Thread.currentThread().getName());
      if (!subtask.find()) {
        throw new IllegalStateException("not a Flink task: " + Thread.currentThread().getName());
      }
      SUBTASK_OF_KEY.put(group.getKey(), Integer.parseInt(subtask.group(1)));
    }
  }

  @Test
  void keysReachTheWorkersFlinkShardsNames() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setParallelism(WORKERS);
    Pipeline pipeline = Pipeline.create(options);
    List<KV<Integer, Integer>> keys = new ArrayList<>();
    for (int key = 0; key < KEYS; key++) {
      keys.add(KV.of(key, key));
    }
    pipeline
        .apply(Create.of(keys).withCoder(KvCoder.of(Shards.KEY_CODER, Shards.KEY_CODER)))
        .apply(GroupByKey.create())
        .apply(ParDo.of(new RecordSubtask()));
    pipeline.run().waitUntilFinish();

    Map<Integer, Integer> predicted = new TreeMap<>();
    for (int key = 0; key < KEYS; key++) {
      predicted.put(key, FlinkShards.worker(key, WORKERS) + 1);
    }
    assertEquals(predicted, new TreeMap<>(SUBTASK_OF_KEY));
  }

  @Test
  void everyWorkerGetsAsManyShardsAndRowGroups() {
    Shards shards = FlinkShards.placed(12, WORKERS);
    int[] shardsPerWorker = new int[WORKERS];
    for (int shard = 0; shard < 12; shard++) {
      int worker = FlinkShards.worker(shards.key(shard), WORKERS);
      assertEquals(shard % WORKERS, worker, "shard " + shard);
      shardsPerWorker[worker]++;
    }
    assertEquals(
        List.of(4, 4, 4), List.of(shardsPerWorker[0], shardsPerWorker[1], shardsPerWorker[2]));
  }
}
