package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KeyRangeTest {
  private static byte[] key(String key) {
    ByteSink out = new ByteSink(16);
    byte[] raw = key.getBytes(StandardCharsets.UTF_8);
    EventKeys.appendKey(out, raw, 0, raw.length);
    return out.toByteArray();
  }

  private static KeyRange range(String lowest, String highest) {
    return new KeyRange(key(lowest), key(highest));
  }

  private static List<Boolean> exclusive(KeyRange... ranges) {
    List<FileSlice> slices =
        Arrays.stream(ranges)
            .map(range -> new FileSlice(0, "f", 1, 0, 0, 1))
            .collect(Collectors.toList());
    return KeyRange.plan(slices, Arrays.asList(ranges)).stream()
        .map(slice -> slice.keyRange() != null && slice.keyRange().exclusive())
        .collect(Collectors.toList());
  }

  @Test
  void rangesThatOnlyMeetAtTheirEndsAreExclusive() {
    assertEquals(
        List.of(true, true, true), exclusive(range("a", "c"), range("c", "f"), range("f", "k")));
  }

  @Test
  void aRangeReachingInsideAnotherMakesItShared() {
    // [b, d] reaches inside (a, c); (b, d) holds c, which [c, f] has; [c, f] is alone.
    assertEquals(
        List.of(false, false, true), exclusive(range("a", "c"), range("b", "d"), range("d", "f")));
  }

  @Test
  void aSingleKeyRangeHasNothingInside() {
    assertEquals(
        List.of(true, false, true), exclusive(range("a", "c"), range("c", "c"), range("c", "e")));
  }

  @Test
  void oneUnknownRangeLeavesEveryRangeUnplanned() {
    List<FileSlice> slices =
        List.of(new FileSlice(0, "f", 1, 0, 0, 1), new FileSlice(1, "g", 1, 0, 0, 1));
    assertEquals(slices, KeyRange.plan(slices, Arrays.asList(range("a", "b"), null)));
  }

  @Test
  void placesKeysByTheirBytes() {
    KeyRange range = range("b", "d");
    // "b" < "b\0" < "c": the escaped form keeps keys that extend another after it.
    assertEquals(KeyRange.Place.BELOW, place(range, "a"));
    assertEquals(KeyRange.Place.LOWEST, place(range, "b"));
    assertEquals(KeyRange.Place.INSIDE, place(range, "b\0"));
    assertEquals(KeyRange.Place.INSIDE, place(range, "c"));
    assertEquals(KeyRange.Place.HIGHEST, place(range, "d"));
    assertEquals(KeyRange.Place.ABOVE, place(range, "d\0"));
  }

  private static KeyRange.Place place(KeyRange range, String key) {
    byte[] eventKey = key(key);
    return range.place(eventKey, eventKey.length);
  }
}
