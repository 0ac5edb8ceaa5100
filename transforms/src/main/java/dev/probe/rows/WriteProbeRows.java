package dev.probe.rows;

import dev.probe.rows.parquet.ProbeRowFile;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes each shard's sorted events as one Parquet file of probe rows, then commits all shards at
 * once (see {@link OutputDirectory}). The shard's events stream from the sort into the writer, so
 * rows never travel through another shuffle and a giant key is never held in memory.
 *
 * <p>Returns the committed file paths, emitted once the commit is done.
 */
final class WriteProbeRows
    extends PTransform<
        PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final ProbeRowSettings settings;
  private final long inputRows;

  private WriteProbeRows(ProbeRowSettings settings, long inputRows) {
    this.settings = settings;
    this.inputRows = inputRows;
  }

  /**
   * @param inputRows the commit publishes the rejects the readers recorded ({@link
   *     OutputDirectory#recordSlices}) and checks that every one of these rows was read and either
   *     written or rejected
   */
  static WriteProbeRows to(ProbeRowSettings settings, long inputRows) {
    return new WriteProbeRows(settings, inputRows);
  }

  @Override
  public PCollection<String> expand(PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>> sorted) {
    PCollectionView<List<WrittenShard>> written =
        sorted
            .apply(
                "WriteShards",
                ParDo.of(new WriteShardFn(settings)))
            .setCoder(SerializableCoder.of(WrittenShard.class))
            .apply("CollectShards", View.asList());
    return sorted
        .getPipeline()
        .apply("AfterAllShards", Impulse.create())
        .apply("Commit", ParDo.of(new CommitFn(settings, inputRows, written)).withSideInputs(written))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class WriteShardFn
      extends DoFn<KV<Integer, Iterable<KV<byte[], byte[]>>>, WrittenShard> {
    private static final long serialVersionUID = 1L;

    private final ProbeRowSettings settings;
    private transient LiveProgress progress;

    WriteShardFn(ProbeRowSettings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      progress = LiveProgress.of(settings.runId());
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<byte[], byte[]>>> shard,
        OutputReceiver<WrittenShard> out) {
      Shards shards = settings.shards();
      int index = shards.shard(shard.getKey());
      // A unique name per attempt: a retried shard never collides with a half-written one.
      String name = OutputDirectory.partName(index, shards.count()) + "." + UUID.randomUUID();
      ProbeRowFile file =
          new ProbeRowFile(
              settings.output().temporaryFile(settings.runId(), name),
              settings.schema(),
              settings.maxEventsPerRow(),
              progress);
      if (settings.swappingShardPayloads()) {
        file.swapFirstTwoPayloads();
      }
      try {
        file.write(shard.getValue().iterator());
      } catch (ProbeRowFile.OutOfOrder e) {
        file.discard();
        throw new SelfCheckFailed(
            OutputDirectory.partName(index, shards.count())
                + ": its events came to the writer out of event key order",
            e);
      } catch (RuntimeException e) {
        file.discard();
        throw e;
      }
      file.finish();
      out.output(new WrittenShard(index, file.path().toString(), file.written()));
    }
  }

  private static final class CommitFn extends DoFn<byte[], String> {
    private static final long serialVersionUID = 1L;

    private final ProbeRowSettings settings;
    private final long inputRows;
    private final PCollectionView<List<WrittenShard>> written;

    CommitFn(
        ProbeRowSettings settings, long inputRows, PCollectionView<List<WrittenShard>> written) {
      this.settings = settings;
      this.inputRows = inputRows;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      List<String> committed;
      try {
        committed =
            settings.output()
                .commit(
                    settings.runId(),
                    context.sideInput(written),
                    inputRows,
                    settings.shards().count(),
                    settings.schema());
      } catch (IOException e) {
        throw new StorageException("cannot commit the output in " + settings.output().path(), e);
      }
      for (String file : committed) {
        context.output(file);
      }
    }
  }
}
