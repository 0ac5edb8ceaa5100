package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyWindowTest {
  private static final long ROWS = 100;
  private static final long BYTES = 1_000;

  /** Row groups of one plan: file index, then the row group's lowest and highest keys. */
  private final List<FileSlice> slices = new ArrayList<>();

  private final List<KeyRange> ranges = new ArrayList<>();
  private final List<Boolean> keyless = new ArrayList<>();

  private static byte[] key(String key) {
    ByteSink out = new ByteSink(16);
    byte[] raw = key.getBytes(StandardCharsets.UTF_8);
    EventKeys.appendKey(out, raw, 0, raw.length);
    return out.toByteArray();
  }

  private void rowGroup(int file, String lowest, String highest) {
    int rowGroup = (int) slices.stream().filter(s -> s.fileIndex() == file).count();
    slices.add(new FileSlice(file, "f" + file, 1, rowGroup, rowGroup * ROWS, ROWS));
    ranges.add(lowest == null ? null : new KeyRange(key(lowest), key(highest)));
    keyless.add(false);
  }

  private void keylessRowGroup(int file) {
    rowGroup(file, null, null);
    keyless.set(keyless.size() - 1, true);
  }

  private List<KeyWindow> plan(int maxWindows, long maxOpenBytes) {
    return KeyWindow.plan(
        slices, ranges, keyless, Collections.nCopies(slices.size(), BYTES), maxWindows,
        maxOpenBytes);
  }

  /** Three files, as a table bucketed by key leaves them: each sorted, each spanning every key. */
  private void bucketed() {
    String[] bounds = {"a", "d", "g", "j", "m", "p", "s", "v", "z"};
    for (int file = 0; file < 3; file++) {
      for (int i = 0; i + 1 < bounds.length; i++) {
        rowGroup(file, bounds[i] + file, bounds[i + 1]);
      }
    }
  }

  private static boolean holds(KeyWindow window, String key) {
    byte[] escaped = key(key);
    return window.holds(escaped, escaped.length);
  }

  @Test
  void everyKeyIsInExactlyOneWindowAndEachWindowReadsTheRowGroupsOverlappingIt() {
    bucketed();
    List<KeyWindow> windows = plan(8, Long.MAX_VALUE);

    assertTrue(windows.size() >= 2, "windows: " + windows);
    for (String key : List.of("", "a0", "b", "d1", "g2", "k", "p", "s0", "y", "z", "zz")) {
      assertEquals(1, windows.stream().filter(w -> holds(w, key)).count(), key);
    }
    for (int w = 0; w < windows.size(); w++) {
      KeyWindow window = windows.get(w);
      assertEquals(w, window.index());
      assertTrue(window.merging());
      for (int i = 0; i < slices.size(); i++) {
        KeyRange range = ranges.get(i);
        boolean overlaps = false;
        for (byte[] key : List.of(range.lowest(), range.highest())) {
          overlaps |= window.holds(key, key.length);
        }
        FileSlice slice = slices.get(i);
        boolean reads =
            window.slices().stream()
                .anyMatch(
                    s -> s.fileIndex() == slice.fileIndex() && s.rowGroup() == slice.rowGroup());
        // A row group whose ends both lie outside a window can still span it whole.
        if (overlaps) {
          assertTrue(reads, "window " + w + " misses row group " + i);
        }
      }
    }
    // Exactly one window takes each row group's null keys: the one holding its lowest key.
    for (KeyWindow window : windows) {
      for (FileSlice slice : window.slices()) {
        long takers =
            windows.stream()
                .filter(w -> w.slices().contains(slice) && w.takesNullKeysOf(slice))
                .count();
        assertEquals(1, takers, slice.toString());
      }
    }
  }

  @Test
  void rowGroupsReadTwiceStayUnderAQuarterOfTheInput() {
    bucketed();
    for (KeyWindow window : plan(64, Long.MAX_VALUE)) {
      assertTrue(window.byFile().size() <= 3);
    }
    long read = plan(64, Long.MAX_VALUE).stream().mapToLong(KeyWindow::rowCount).sum();
    assertTrue(read <= 1.25 * slices.size() * ROWS, "rows read: " + read);
  }

  @Test
  void aFileWhoseRowGroupsOverlapIsNotSortedSoNothingIsMerged() {
    bucketed();
    rowGroup(0, "b", "c");
    assertEquals(List.of(), plan(8, Long.MAX_VALUE));
  }

  @Test
  void filesThatDoNotOverlapWriteTheirOwnKeysInstead() {
    rowGroup(0, "a", "c");
    rowGroup(0, "c", "f");
    rowGroup(1, "f", "k");
    rowGroup(1, "m", "p");
    assertEquals(List.of(), plan(8, Long.MAX_VALUE));
  }

  @Test
  void anUnknownRangeMergesNothing() {
    bucketed();
    rowGroup(1, null, null);
    assertEquals(List.of(), plan(8, Long.MAX_VALUE));
  }

  @Test
  void rowGroupsWithOnlyNullKeysGoToTheFirstWindow() {
    bucketed();
    keylessRowGroup(2);
    List<KeyWindow> windows = plan(8, Long.MAX_VALUE);

    FileSlice keylessSlice = slices.get(slices.size() - 1);
    assertTrue(windows.get(0).slices().contains(keylessSlice));
    assertTrue(windows.get(0).takesNullKeysOf(keylessSlice));
    for (KeyWindow window : windows.subList(1, windows.size())) {
      assertFalse(window.slices().contains(keylessSlice));
    }
  }

  @Test
  void rowGroupsOpenAtOnceStayWithinTheMemoryGiven() {
    bucketed();
    // Each window opens one row group per file: three files need three row groups' bytes.
    assertEquals(List.of(), plan(8, 3 * BYTES - 1));
    assertFalse(plan(8, 3 * BYTES).isEmpty());
  }

  @Test
  void aWindowSurvivesItsCoder() throws Exception {
    bucketed();
    for (KeyWindow window : plan(8, Long.MAX_VALUE)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      KeyWindow.CODER.encode(window, out);
      KeyWindow decoded = KeyWindow.CODER.decode(new ByteArrayInputStream(out.toByteArray()));
      assertEquals(window.index(), decoded.index());
      assertEquals(window.merging(), decoded.merging());
      assertEquals(window.slices(), decoded.slices());
      for (String key : List.of("", "c", "k", "y", "zz")) {
        assertEquals(holds(window, key), holds(decoded, key), key);
      }
    }
  }
}
