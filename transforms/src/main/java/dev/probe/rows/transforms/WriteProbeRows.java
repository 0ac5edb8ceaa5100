package dev.probe.rows.transforms;

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
public final class WriteProbeRows
    extends PTransform<
        PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final OutputDirectory output;
  private final ProbeRowSchema schema;
  private final Shards shards;
  private final long maxEventsPerRow;
  private final String runId;
  private final long inputRows;
  // A fault for tests of the self-check: see ProbeRowFile.swapFirstTwoPayloads.
  private boolean swappingPayloads;

  private WriteProbeRows(
      OutputDirectory output,
      ProbeRowSchema schema,
      Shards shards,
      long maxEventsPerRow,
      String runId,
      long inputRows) {
    this.output = output;
    this.schema = schema;
    this.shards = shards;
    this.maxEventsPerRow = maxEventsPerRow;
    this.runId = runId;
    this.inputRows = inputRows;
  }

  /**
   * @param maxEventsPerRow split longer timelines into chunks of this many events; 0 for none
   * @param runId names this run's temporary folder, so an abort removes exactly its files
   * @param inputRows the commit publishes the rejects the readers recorded ({@link
   *     OutputDirectory#recordSlice}) and checks that every one of these rows was read and either
   *     written or rejected
   */
  public static WriteProbeRows to(
      OutputDirectory output,
      ProbeRowSchema schema,
      Shards shards,
      long maxEventsPerRow,
      String runId,
      long inputRows) {
    return new WriteProbeRows(output, schema, shards, maxEventsPerRow, runId, inputRows);
  }

  /** A fresh run id, for callers that do not need to clean up after a failed run themselves. */
  public static String newRunId() {
    return UUID.randomUUID().toString();
  }

  /** A fault for tests: each shard's file swaps its first two events' payloads. */
  WriteProbeRows swappingPayloads() {
    swappingPayloads = true;
    return this;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>> sorted) {
    PCollectionView<List<WrittenShard>> written =
        sorted
            .apply(
                "WriteShards",
                ParDo.of(
                    new WriteShardFn(
                        output, schema, maxEventsPerRow, runId, shards, swappingPayloads)))
            .setCoder(SerializableCoder.of(WrittenShard.class))
            .apply("CollectShards", View.asList());
    return sorted
        .getPipeline()
        .apply("AfterAllShards", Impulse.create())
        .apply("Commit", ParDo.of(new CommitFn(this, written)).withSideInputs(written))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class WriteShardFn
      extends DoFn<KV<Integer, Iterable<KV<byte[], byte[]>>>, WrittenShard> {
    private static final long serialVersionUID = 1L;

    private final OutputDirectory output;
    private final ProbeRowSchema schema;
    private final long maxEventsPerRow;
    private final String runId;
    private final Shards shards;
    private final boolean swappingPayloads;

    WriteShardFn(
        OutputDirectory output,
        ProbeRowSchema schema,
        long maxEventsPerRow,
        String runId,
        Shards shards,
        boolean swappingPayloads) {
      this.output = output;
      this.schema = schema;
      this.maxEventsPerRow = maxEventsPerRow;
      this.runId = runId;
      this.shards = shards;
      this.swappingPayloads = swappingPayloads;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<byte[], byte[]>>> shard,
        OutputReceiver<WrittenShard> out) {
      int index = shards.shard(shard.getKey());
      // A unique name per attempt: a retried shard never collides with a half-written one.
      String name = OutputDirectory.partName(index, shards.count()) + "." + UUID.randomUUID();
      ProbeRowFile file =
          new ProbeRowFile(output.temporaryFile(runId, name), schema, maxEventsPerRow);
      if (swappingPayloads) {
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

    private final WriteProbeRows spec;
    private final PCollectionView<List<WrittenShard>> written;

    CommitFn(WriteProbeRows spec, PCollectionView<List<WrittenShard>> written) {
      this.spec = spec;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      List<String> committed;
      try {
        committed =
            spec.output.commit(
                spec.runId,
                context.sideInput(written),
                spec.inputRows,
                spec.shards.count(),
                spec.schema);
      } catch (IOException e) {
        throw new StorageException("cannot commit the output in " + spec.output.path(), e);
      }
      for (String file : committed) {
        context.output(file);
      }
    }
  }
}
