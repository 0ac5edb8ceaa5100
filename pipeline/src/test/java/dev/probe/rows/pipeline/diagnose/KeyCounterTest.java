package dev.probe.rows.pipeline.diagnose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyCounterTest {
  private static byte[] key(int i) {
    return ("key-" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void countsExactlyWhileTheKeysFit() {
    KeyCounter counter = new KeyCounter(100_000, 1 << 20);
    Map<Integer, Long> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      int k = (int) (20_000 * Math.pow(random.nextDouble(), 4));
      counter.add(key(k), 1, 0, 0, false);
      expected.merge(k, 1L, Long::sum);
    }
    assertFalse(counter.isSampled());
    assertEquals(expected.size(), counter.distinctKeys());
    long[] counts = counter.counts();
    Arrays.sort(counts);
    long[] expectedCounts =
        expected.values().stream().mapToLong(Long::longValue).sorted().toArray();
    assertArrayEquals(expectedCounts, counts);
    assertArrayEquals(key(0), counter.largest(1).get(0).key());
    assertEquals(expected.get(0), counter.largest(1).get(0).events());
  }

  @Test
  void estimatesOnceTheKeysOutgrowTheCap() {
    KeyCounter counter = new KeyCounter(5_000, 1 << 20);
    int distinct = 200_000;
    for (int i = 0; i < distinct; i++) {
      counter.add(key(i), 1 + i % 3, 0, 0, false);
      if (i % 10 == 0) {
        counter.add(key(-1), 1, 0, 0, false); // one heavy key, spread through the stream
      }
    }
    assertTrue(counter.isSampled());
    long estimate = counter.distinctKeys();
    assertTrue(Math.abs(estimate - (distinct + 1)) < distinct / 10, "estimate " + estimate);
    for (long count : counter.counts()) {
      assertTrue(count >= 1 && count <= 3 || count == distinct / 10, "sampled count " + count);
    }
    List<KeyCount> largest = counter.largest(1);
    assertArrayEquals(key(-1), largest.get(0).key());
    // Space-Saving: never below the truth.
    assertTrue(largest.get(0).events() >= distinct / 10, "heavy key " + largest.get(0).events());
  }

  @Test
  void aFullKeyBytesBudgetAlsoStartsSampling() {
    KeyCounter counter = new KeyCounter(1_000_000, 10_000);
    for (int i = 0; i < 10_000; i++) {
      counter.add(key(i), 1, 0, 0, false);
    }
    assertTrue(counter.isSampled());
    assertTrue(Math.abs(counter.distinctKeys() - 10_000) < 2_000, "" + counter.distinctKeys());
  }

  @Test
  void keepsEachKeysLatestTimeAndWhetherItWentBackThroughSampling() {
    KeyCounter counter = new KeyCounter(1_000, 1 << 20);
    long[] latest = new long[2];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 20_000; i++) {
        // Odd keys go back in the last round; a 12-byte time, as INT96's, uses both halves.
        long time = round == 2 && i % 2 == 1 ? 0 : round + 1;
        byte[] sortValue = new byte[12];
        sortValue[11] = (byte) time;
        counter.add(
            key(i), 1, KeyCounter.packHigh(sortValue), KeyCounter.packLow(sortValue), time == 0);
      }
    }
    assertTrue(counter.isSampled());
    int tracked = 0;
    for (int i = 0; i < 20_000; i++) {
      if (counter.latest(key(i), latest)) {
        tracked++;
        assertEquals(0, latest[0]);
        // The latest time, not the last: odd keys' last time is 0.
        assertEquals((i % 2 == 1 ? 2L : 3L) << 32, latest[1], "key " + i);
      }
    }
    assertEquals(counter.counts().length, tracked);
    long wentBack = counter.keysThatWentBack();
    assertTrue(Math.abs(wentBack - tracked / 2) <= tracked / 5, wentBack + " of " + tracked);
  }

  @Test
  void latestTimesCompareAsUnsignedBytes() {
    byte[] early = {0x7F, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    byte[] late = {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] later = {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    assertTrue(later(late, early));
    assertTrue(later(later, late));
    assertFalse(later(late, late));
    assertFalse(later(early, later));
  }

  /**
   * A decimal of precision 38 takes all 16 bytes: its last bit counts, and a key that went back
   * keeps its mark, and its count, through later events.
   */
  @Test
  void sixteenByteTimesUseEveryBit() {
    byte[] low = new byte[16];
    byte[] high = new byte[16];
    high[15] = 1;
    assertTrue(later(high, low));
    assertFalse(later(low, high));
    KeyCounter counter = new KeyCounter(1_000, 1 << 20);
    byte[] key = key(7);
    for (int i = 0; i < 5; i++) {
      byte[] time = i == 2 ? low : high;
      counter.add(key, 1, KeyCounter.packHigh(time), KeyCounter.packLow(time), i == 2);
    }
    long[] latest = new long[2];
    assertTrue(counter.latest(key, latest));
    assertEquals(1, latest[1]);
    assertEquals(1, counter.keysThatWentBack());
    assertArrayEquals(new long[] {5}, counter.counts());
  }

  private static boolean later(byte[] a, byte[] b) {
    long aHigh = KeyCounter.packHigh(a);
    long bHigh = KeyCounter.packHigh(b);
    return KeyCounter.later(aHigh, KeyCounter.packLow(a), bHigh, KeyCounter.packLow(b));
  }
}
