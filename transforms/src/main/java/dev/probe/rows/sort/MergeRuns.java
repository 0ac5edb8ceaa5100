package dev.probe.rows.sort;

import dev.probe.rows.ProbeRowsMetrics;
import dev.probe.rows.events.EventKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.UUID;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns a shard's run chunks, in any order, into the shard's events in event key (key, time,
 * position) order by a k-way merge: chunks are ordered by their first event key ({@link
 * RunsByStart}, spilling beyond the memory budget) and opened as the merge reaches them. Runs of a
 * key that overlap in time are interleaved ({@link ProbeRowsMetrics#KEYS_INTERLEAVED}). Memory
 * holds one chunk per overlapping run; when the overlapping chunks outgrow the budget, they and
 * whatever overlaps them are sorted on disk ({@link ProbeRowsMetrics#EVENTS_SORTED_ON_DISK}), so
 * memory stays bounded however many runs overlap. The output iterable is lazy: events stream into
 * the writer.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
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
   * @param sorter memory budget and spill folder of the merge, and the sorter for runs that overlap
   *     beyond the budget
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
    private final Counter eventsSortedOnDisk =
        Metrics.counter(ProbeRowsMetrics.NAMESPACE, ProbeRowsMetrics.EVENTS_SORTED_ON_DISK);

    /** This instance's own spill folder, on the worker's disk; the sorter does not create one. */
    private transient Path spill;

    MergeRunsFn(BufferedExternalSorter.Options sorter) {
      this.sorter = sorter;
    }

    @Setup
    public void setup() throws IOException {
      spill = Paths.get(sorter.getTempLocation(), "merge-" + UUID.randomUUID());
      Files.createDirectories(spill);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<byte[], byte[]>>> shard,
        OutputReceiver<KV<Integer, Iterable<KV<byte[], byte[]>>>> out) {
      Iterable<KV<byte[], byte[]>> chunks = shard.getValue();
      Iterable<KV<byte[], byte[]>> merged =
          () ->
              new MergedEvents(
                  RunsByStart.order(chunks.iterator(), spill, sorter.getMemoryMB() * 1024L * 1024L),
                  sorter.withTempLocation(spill.toString()),
                  keysInterleaved,
                  eventsSortedOnDisk);
      out.output(KV.of(shard.getKey(), merged));
    }

    /**
     * On a worker of a cluster nothing else removes this folder; Beam's external sorter leaves its
     * files behind.
     */
    @Teardown
    public void teardown() throws IOException {
      if (spill != null) {
        LocalFolders.deleteRecursively(spill);
      }
    }
  }

  static final class MergedEvents implements Iterator<KV<byte[], byte[]>> {
    private final Iterator<KV<byte[], byte[]>> chunks;
    private final BufferedExternalSorter.Options sorter;
    private final long budgetBytes;
    private final Counter keysInterleaved;
    private final Counter eventsSortedOnDisk;
    private final PriorityQueue<RunChunk.Cursor> open =
        new PriorityQueue<>(RunChunk.Cursor::compare);
    private long openBytes;
    private KV<byte[], byte[]> pending;
    private byte[] lastInterleavedKey;
    private Iterator<KV<byte[], byte[]>> sortedOnDisk;

    MergedEvents(
        Iterator<KV<byte[], byte[]>> chunks,
        BufferedExternalSorter.Options sorter,
        Counter keysInterleaved,
        Counter eventsSortedOnDisk) {
      this.chunks = chunks;
      this.sorter = sorter;
      this.budgetBytes = sorter.getMemoryMB() * 1024L * 1024L;
      this.keysInterleaved = keysInterleaved;
      this.eventsSortedOnDisk = eventsSortedOnDisk;
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
        if (!open.isEmpty()
            && EventKeys.sameKey(pending.getKey(), open.peek().eventKey())
            && !sameKey(lastInterleavedKey, pending.getKey())) {
          lastInterleavedKey = pending.getKey();
          keysInterleaved.inc();
        }
        RunChunk.Cursor cursor = new RunChunk.Cursor(pending.getValue());
        open.add(cursor);
        openBytes += cursor.size();
        pending = chunks.hasNext() ? chunks.next() : null;
        if (openBytes > budgetBytes) {
          sortOverlappingRunsOnDisk();
          return;
        }
      }
    }

    /**
     * Moves the open chunks' remaining events into an external sort, with every chunk not yet
     * opened that starts before the last of them: what is left to merge afterwards starts after all
     * of the sorted events.
     */
    private void sortOverlappingRunsOnDisk() {
      long moved = 0;
      try {
        BufferedExternalSorter sort = BufferedExternalSorter.create(sorter);
        byte[] last = null;
        for (RunChunk.Cursor cursor : open) {
          moved += addRemaining(sort, cursor);
          last = later(last, cursor.eventKey());
        }
        open.clear();
        openBytes = 0;
        while (pending != null && Arrays.compareUnsigned(pending.getKey(), last) < 0) {
          RunChunk.Cursor cursor = new RunChunk.Cursor(pending.getValue());
          moved += addRemaining(sort, cursor);
          last = later(last, cursor.eventKey());
          pending = chunks.hasNext() ? chunks.next() : null;
        }
        sortedOnDisk = sort.sort().iterator();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sort overlapping runs on disk", e);
      }
      eventsSortedOnDisk.inc(moved);
    }

    /** Adds the cursor's events from the current one on; leaves it on its last event. */
    private static long addRemaining(BufferedExternalSorter sort, RunChunk.Cursor cursor)
        throws IOException {
      long added = 0;
      do {
        sort.add(KV.of(cursor.eventKey(), cursor.event()));
        added++;
      } while (cursor.advance());
      return added;
    }

    private static byte[] later(byte[] a, byte[] b) {
      return a == null || Arrays.compareUnsigned(a, b) < 0 ? b : a;
    }

    private static boolean sameKey(byte[] a, byte[] b) {
      return a != null && EventKeys.sameKey(a, b);
    }
  }
}
