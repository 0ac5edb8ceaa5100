package dev.probe.rows.transforms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns a shard's run chunks, sorted by their first event key, into the shard's events in (key,
 * time, position) order: the same stream the sorted path produces, by a k-way merge instead of a
 * sort. Runs of a key that overlap in time are interleaved ({@link
 * ProbeRowsMetrics#KEYS_INTERLEAVED}); when the overlapping chunks of one key outgrow the memory
 * budget, that key alone is sorted on disk ({@link ProbeRowsMetrics#KEYS_SORTED_ON_DISK}). The
 * output iterable is lazy: events stream into the writer.
 */
public final class MergeRuns
    extends PTransform<
        PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>>,
        PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>>> {
  private static final long serialVersionUID = 1L;

  private final BufferedExternalSorter.Options sorter;

  private MergeRuns(BufferedExternalSorter.Options sorter) {
    this.sorter = sorter;
  }

  /**
   * @param sorter memory budget of the merge, and the sorter for keys that exceed it
   */
  public static MergeRuns withSorter(BufferedExternalSorter.Options sorter) {
    return new MergeRuns(sorter);
  }

  @Override
  public PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>> expand(
      PCollection<KV<Integer, Iterable<KV<byte[], byte[]>>>> sortedChunks) {
    return sortedChunks.apply(ParDo.of(new MergeRunsFn(sorter))).setCoder(sortedChunks.getCoder());
  }

  private static final class MergeRunsFn
      extends DoFn<
          KV<Integer, Iterable<KV<byte[], byte[]>>>, KV<Integer, Iterable<KV<byte[], byte[]>>>> {
    private static final long serialVersionUID = 1L;

    private final BufferedExternalSorter.Options sorter;
    private final Counter keysInterleaved =
        Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.KEYS_INTERLEAVED);
    private final Counter keysSortedOnDisk =
        Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.KEYS_SORTED_ON_DISK);

    MergeRunsFn(BufferedExternalSorter.Options sorter) {
      this.sorter = sorter;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<byte[], byte[]>>> shard,
        OutputReceiver<KV<Integer, Iterable<KV<byte[], byte[]>>>> out) {
      Iterable<KV<byte[], byte[]>> chunks = shard.getValue();
      Iterable<KV<byte[], byte[]>> merged =
          () -> new MergedEvents(chunks.iterator(), sorter, keysInterleaved, keysSortedOnDisk);
      out.output(KV.of(shard.getKey(), merged));
    }
  }

  static final class MergedEvents implements Iterator<KV<byte[], byte[]>> {
    private final Iterator<KV<byte[], byte[]>> chunks;
    private final BufferedExternalSorter.Options sorter;
    private final long budgetBytes;
    private final Counter keysInterleaved;
    private final Counter keysSortedOnDisk;
    private final PriorityQueue<RunChunk.Cursor> open =
        new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.eventKey(), b.eventKey()));
    private long openBytes;
    private KV<byte[], byte[]> pending;
    private byte[] lastInterleavedKey;
    private Iterator<KV<byte[], byte[]>> sortedOnDisk;

    MergedEvents(
        Iterator<KV<byte[], byte[]>> chunks,
        BufferedExternalSorter.Options sorter,
        Counter keysInterleaved,
        Counter keysSortedOnDisk) {
      this.chunks = chunks;
      this.sorter = sorter;
      this.budgetBytes = sorter.getMemoryMB() * 1024L * 1024L;
      this.keysInterleaved = keysInterleaved;
      this.keysSortedOnDisk = keysSortedOnDisk;
      this.pending = chunks.hasNext() ? chunks.next() : null;
    }

    @Override
    public boolean hasNext() {
      if (sortedOnDisk != null) {
        if (sortedOnDisk.hasNext()) {
          return true;
        }
        sortedOnDisk = null;
      }
      openChunksThatStartFirst();
      return sortedOnDisk != null ? sortedOnDisk.hasNext() : !open.isEmpty();
    }

    @Override
    public KV<byte[], byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (sortedOnDisk != null) {
        return sortedOnDisk.next();
      }
      RunChunk.Cursor smallest = open.poll();
      KV<byte[], byte[]> event = KV.of(smallest.eventKey(), smallest.event());
      if (smallest.advance()) {
        open.add(smallest);
      } else {
        openBytes -= smallest.size();
      }
      return event;
    }

    /**
     * Chunks arrive by first event key, and each chunk is ordered, so the smallest open event is
     * the next one unless a chunk not yet opened starts before it.
     */
    private void openChunksThatStartFirst() {
      while (pending != null
          && (open.isEmpty()
              || Arrays.compareUnsigned(pending.getKey(), open.peek().eventKey()) < 0)) {
        if (!open.isEmpty() && !sameKey(lastInterleavedKey, pending.getKey())) {
          lastInterleavedKey = pending.getKey();
          keysInterleaved.inc();
        }
        RunChunk.Cursor cursor = new RunChunk.Cursor(pending.getKey(), pending.getValue());
        open.add(cursor);
        openBytes += cursor.size();
        pending = chunks.hasNext() ? chunks.next() : null;
        if (openBytes > budgetBytes) {
          sortKeyOnDisk();
          return;
        }
      }
    }

    /** Moves the open key's remaining events, open and not yet opened, into an external sort. */
    private void sortKeyOnDisk() {
      byte[] key = open.peek().eventKey();
      try {
        BufferedExternalSorter sort = BufferedExternalSorter.create(sorter);
        for (RunChunk.Cursor cursor : open) {
          addRemaining(sort, cursor);
        }
        open.clear();
        openBytes = 0;
        while (pending != null && EventKeys.sameKey(pending.getKey(), key)) {
          addRemaining(sort, new RunChunk.Cursor(pending.getKey(), pending.getValue()));
          pending = chunks.hasNext() ? chunks.next() : null;
        }
        sortedOnDisk = sort.sort().iterator();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sort a key's overlapping runs on disk", e);
      }
      keysSortedOnDisk.inc();
    }

    private static void addRemaining(BufferedExternalSorter sort, RunChunk.Cursor cursor)
        throws IOException {
      do {
        sort.add(KV.of(cursor.eventKey(), cursor.event()));
      } while (cursor.advance());
    }

    private static boolean sameKey(byte[] a, byte[] b) {
      return a != null && EventKeys.sameKey(a, b);
    }
  }
}
