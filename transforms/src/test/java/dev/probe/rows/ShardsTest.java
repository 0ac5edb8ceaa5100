package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShardsTest {
  @Test
  void hashedShardsAreTheirOwnKeysAndEveryRowGroupHasOne() {
    Shards shards = Shards.hashed(5);
    for (int shard = 0; shard < 5; shard++) {
      assertEquals(shard, shards.key(shard));
      assertEquals(shard, shards.shard(shard));
    }
    assertEquals(17, shards.rowGroupKey(17));
  }

  @Test
  void placedShardsTakeTheirWorkersKeysInTurn() {
    Shards shards = Shards.placed(5, new int[][] {{10, 11, 12}, {20, 21}});
    int[] expected = {10, 20, 11, 21, 12};
    for (int shard = 0; shard < 5; shard++) {
      assertEquals(expected[shard], shards.key(shard));
      assertEquals(shard, shards.shard(expected[shard]));
    }
  }

  @Test
  void rowGroupsAreDealtToTheWorkersInTurn() {
    Shards shards = Shards.placed(4, new int[][] {{10, 11}, {20, 21}, {30}});
    int[] expected = {10, 20, 30, 10, 20, 30, 10};
    for (int dealt = 0; dealt < expected.length; dealt++) {
      assertEquals(expected[dealt], shards.rowGroupKey(dealt));
    }
  }

  @Test
  void placementsThatCannotHoldEveryShardAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Shards.placed(5, new int[][] {{1, 2}, {3}}));
    assertThrows(IllegalArgumentException.class, () -> Shards.placed(2, new int[][] {{1}, {1}}));
    assertThrows(IllegalArgumentException.class, () -> Shards.placed(1, new int[][] {{1}, {}}));
    assertThrows(IllegalArgumentException.class, () -> Shards.placed(1, new int[0][]));
    assertThrows(IllegalArgumentException.class, () -> Shards.hashed(0));
  }
}
