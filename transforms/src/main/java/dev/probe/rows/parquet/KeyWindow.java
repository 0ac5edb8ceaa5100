package dev.probe.rows.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * What one reader call reads: one row group whole, or a range of keys from every row group whose
 * statistics overlap it, merged.
 *
 * <p>Files each sorted by key, as a bucketed or time-partitioned table leaves them, hold every key
 * range in every file, so no row group holds a key alone ({@link KeyRange#plan}) and every event
 * would be shuffled. {@link #plan} cuts the keys into ranges instead: a reader takes one range and
 * merges the files' rows of that range in event key order straight into a file of probe rows, with
 * no shuffle. Each row is taken by the one range that holds its key, so a row group that straddles
 * a cut is read by both ranges and each keeps its own rows; a row whose key is null goes to the
 * range holding the row group's lowest key.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class KeyWindow implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Coder<KeyWindow> CODER = new WindowCoder();

  /** Rows read twice, where row groups straddle cuts, may add at most this share of the input. */
  private static final double MAX_REREAD = 0.25;

  /**
   * The command's default shards per worker: the plan, which does not know the workers, assumes
   * it to weigh fewer windows, each read whole by one worker, against the rows more cuts read
   * twice.
   */
  private static final int SHARDS_PER_WORKER = 4;

  /** The most windows a plan tries. */
  private static final int MAX_WINDOWS = 64;

  private final int index;
  private final boolean merging;
  private final byte[] from;
  private final byte[] to;
  private final List<FileSlice> slices;

  private KeyWindow(int index, boolean merging, byte[] from, byte[] to, List<FileSlice> slices) {
    this.index = index;
    this.merging = merging;
    this.from = from;
    this.to = to;
    this.slices = slices;
  }

  /** One row group, every key of it, read on its own. */
  public static KeyWindow whole(FileSlice slice) {
    return new KeyWindow(0, false, null, null, List.of(slice));
  }

  /** This window's number among the run's merged windows; 0 for a whole row group. */
  public int index() {
    return index;
  }

  /** Whether this window merges a key range of its row groups, rather than one whole row group. */
  public boolean merging() {
    return merging;
  }

  /** The row groups to read, by file and then by row group within the file. */
  public List<FileSlice> slices() {
    return slices;
  }

  public long rowCount() {
    return slices.stream().mapToLong(FileSlice::rowCount).sum();
  }

  /** The slices of each file in turn: each list one file's, in row group order. */
  public List<List<FileSlice>> byFile() {
    Map<Integer, List<FileSlice>> files = new LinkedHashMap<>();
    for (FileSlice slice : slices) {
      files.computeIfAbsent(slice.fileIndex(), file -> new ArrayList<>()).add(slice);
    }
    return new ArrayList<>(files.values());
  }

  /** Whether the key {@code eventKey[0, keyEnd)} is in this window. */
  public boolean holds(byte[] eventKey, int keyEnd) {
    return (from == null || Arrays.compareUnsigned(eventKey, 0, keyEnd, from, 0, from.length) >= 0)
        && (to == null || Arrays.compareUnsigned(eventKey, 0, keyEnd, to, 0, to.length) < 0);
  }

  /** Whether this window takes the slice's rows whose key is null. */
  boolean takesNullKeysOf(FileSlice slice) {
    if (!merging) {
      return true;
    }
    KeyRange range = slice.keyRange();
    return range == null ? index == 0 : holds(range.lowest(), range.lowest().length);
  }

  /**
   * Key windows for input whose files are each sorted by key but overlap one another, or an empty
   * list where whole row groups serve better: where any statistics are missing, where a file's own
   * row groups overlap (it is not sorted by key, and merging would fall back), or where no row
   * groups of different files overlap (each then writes the keys it alone holds, {@link
   * KeyRange#plan}).
   *
   * <p>Two windows or more, up to {@code maxWindows}: the count whose busiest worker reads the
   * fewest rows, among those whose rows read twice stay under a quarter of the input and whose
   * row groups open at once (one per file, the largest counted) stay within {@code maxOpenBytes}.
   *
   * <p>Row groups whose keys are all null go to the first window, which checks that they are.
   *
   * @param ranges each slice's key range, or null where its statistics cannot tell
   * @param keyless whether each slice's statistics say its keys are all null
   * @param compressedBytes each slice's compressed size
   */
  public static List<KeyWindow> plan(
      List<FileSlice> slices,
      List<KeyRange> ranges,
      List<Boolean> keyless,
      List<Long> compressedBytes,
      int maxWindows,
      long maxOpenBytes) {
    List<Integer> byLowest = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      if (!keyless.get(i)) {
        if (ranges.get(i) == null) {
          return List.of();
        }
        byLowest.add(i);
      }
    }
    if (byLowest.size() < 2) {
      return List.of();
    }
    byLowest.sort(Comparator.comparing(i -> ranges.get(i).lowest(), Arrays::compareUnsigned));
    if (!filesSortedButOverlapping(byLowest, slices, ranges)) {
      return List.of();
    }
    List<KeyWindow> best = List.of();
    double bestSpan = Double.MAX_VALUE;
    int workers = Math.max(1, maxWindows / SHARDS_PER_WORKER);
    for (int count = 2; count <= Math.min(maxWindows, MAX_WINDOWS); count++) {
      List<byte[]> cuts = cuts(byLowest, slices, ranges, count);
      if (cuts.size() + 1 < count) {
        break;
      }
      List<KeyWindow> windows = windows(cuts, slices, ranges);
      double span = span(windows, workers);
      if (span < bestSpan && fits(windows, slices, compressedBytes, maxOpenBytes)) {
        best = windows;
        bestSpan = span;
      }
    }
    return best;
  }

  /**
   * The rows the busiest worker reads, windows dealt to the workers largest first, in turn, as
   * {@code ParquetProbeRows} deals them.
   */
  private static double span(List<KeyWindow> windows, int workers) {
    List<Long> rows = new ArrayList<>();
    for (KeyWindow window : windows) {
      rows.add(window.rowCount());
    }
    rows.sort(Comparator.reverseOrder());
    long[] perWorker = new long[workers];
    for (int i = 0; i < rows.size(); i++) {
      perWorker[i % workers] += rows.get(i);
    }
    return Arrays.stream(perWorker).max().orElse(0);
  }

  /**
   * Whether no file's row groups reach inside one another, and some of different files do. Row
   * groups sorted by lowest key: one reaches inside an earlier one where its lowest key is below
   * the highest key seen so far.
   */
  private static boolean filesSortedButOverlapping(
      List<Integer> byLowest, List<FileSlice> slices, List<KeyRange> ranges) {
    Map<Integer, byte[]> highestOfFile = new LinkedHashMap<>();
    byte[] highest = null;
    boolean overlapping = false;
    for (int i : byLowest) {
      KeyRange range = ranges.get(i);
      byte[] fileHighest = highestOfFile.get(slices.get(i).fileIndex());
      if (fileHighest != null && Arrays.compareUnsigned(range.lowest(), fileHighest) < 0) {
        return false;
      }
      if (highest != null && Arrays.compareUnsigned(range.lowest(), highest) < 0) {
        overlapping = true;
      }
      highestOfFile.merge(slices.get(i).fileIndex(), range.highest(), KeyWindow::larger);
      highest = highest == null ? range.highest() : larger(highest, range.highest());
    }
    return overlapping;
  }

  private static byte[] larger(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }

  /**
   * Up to {@code count - 1} cuts, each a row group's lowest key, placed where the rows of the row
   * groups starting below it reach the next share of the input.
   */
  private static List<byte[]> cuts(
      List<Integer> byLowest, List<FileSlice> slices, List<KeyRange> ranges, int count) {
    long total = 0;
    for (FileSlice slice : slices) {
      total += slice.rowCount();
    }
    List<byte[]> cuts = new ArrayList<>();
    long below = 0;
    byte[] previous = null;
    for (int i : byLowest) {
      byte[] lowest = ranges.get(i).lowest();
      boolean newKey = previous != null && Arrays.compareUnsigned(lowest, previous) > 0;
      if (newKey && below * count >= (cuts.size() + 1) * total && cuts.size() < count - 1) {
        cuts.add(lowest);
      }
      below += slices.get(i).rowCount();
      previous = lowest;
    }
    return cuts;
  }

  private static List<KeyWindow> windows(
      List<byte[]> cuts, List<FileSlice> slices, List<KeyRange> ranges) {
    List<KeyWindow> windows = new ArrayList<>();
    for (int w = 0; w <= cuts.size(); w++) {
      byte[] from = w == 0 ? null : cuts.get(w - 1);
      byte[] to = w == cuts.size() ? null : cuts.get(w);
      List<FileSlice> overlapping = new ArrayList<>();
      for (int i = 0; i < slices.size(); i++) {
        KeyRange range = ranges.get(i);
        if (range == null) {
          if (w == 0) {
            overlapping.add(slices.get(i));
          }
        } else if ((from == null || Arrays.compareUnsigned(range.highest(), from) >= 0)
            && (to == null || Arrays.compareUnsigned(range.lowest(), to) < 0)) {
          overlapping.add(slices.get(i).withKeyRange(range));
        }
      }
      overlapping.sort(
          Comparator.comparingInt(FileSlice::fileIndex).thenComparingInt(FileSlice::rowGroup));
      windows.add(new KeyWindow(w, true, from, to, overlapping));
    }
    return windows;
  }

  private static boolean fits(
      List<KeyWindow> windows,
      List<FileSlice> slices,
      List<Long> compressedBytes,
      long maxOpenBytes) {
    Map<List<Integer>, Long> bytes = new HashMap<>();
    long total = 0;
    for (int i = 0; i < slices.size(); i++) {
      bytes.put(place(slices.get(i)), compressedBytes.get(i));
      total += slices.get(i).rowCount();
    }
    long read = 0;
    for (KeyWindow window : windows) {
      read += window.rowCount();
      long open = 0;
      for (List<FileSlice> file : window.byFile()) {
        open += file.stream().mapToLong(slice -> bytes.get(place(slice))).max().orElse(0);
      }
      if (open > maxOpenBytes) {
        return false;
      }
    }
    return read - total <= MAX_REREAD * total;
  }

  private static List<Integer> place(FileSlice slice) {
    return List.of(slice.fileIndex(), slice.rowGroup());
  }

  @Override
  public String toString() {
    return merging
        ? "key range " + index + " of " + slices.size() + " row groups"
        : slices.get(0).toString();
  }

  private static final class WindowCoder extends AtomicCoder<KeyWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(KeyWindow window, OutputStream out) throws IOException {
      VarInt.encode(window.index, out);
      out.write((window.merging ? 1 : 0) | (window.from != null ? 2 : 0) | (window.to != null ? 4 : 0));
      if (window.from != null) {
        ByteArrayCoder.of().encode(window.from, out);
      }
      if (window.to != null) {
        ByteArrayCoder.of().encode(window.to, out);
      }
      VarInt.encode(window.slices.size(), out);
      for (FileSlice slice : window.slices) {
        FileSlice.CODER.encode(slice, out);
      }
    }

    @Override
    public KeyWindow decode(InputStream in) throws IOException {
      int index = VarInt.decodeInt(in);
      int flags = in.read();
      if (flags < 0 || flags > 7) {
        throw new IOException("not an encoded key window: flags " + flags);
      }
      byte[] from = (flags & 2) != 0 ? ByteArrayCoder.of().decode(in) : null;
      byte[] to = (flags & 4) != 0 ? ByteArrayCoder.of().decode(in) : null;
      int count = VarInt.decodeInt(in);
      List<FileSlice> slices = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        slices.add(FileSlice.CODER.decode(in));
      }
      return new KeyWindow(index, (flags & 1) != 0, from, to, slices);
    }
  }
}
