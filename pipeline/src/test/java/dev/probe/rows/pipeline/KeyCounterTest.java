package dev.probe.rows.pipeline;

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
}
