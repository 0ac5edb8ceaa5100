package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.probe.rows.events.ByteSink;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/** The self-check's fingerprint of bytes: the same wherever they live, different for others. */
class EventDigestTest {
  /**
   * An array slice, a view of a page's heap buffer and bytes off the heap: one fingerprint, with one
   * scratch reused from longest to shortest value.
   */
  @Test
  void bytesOnAndOffTheHeapHaveOneFingerprint() {
    Random random = new Random(5);
    ByteSink scratch = new ByteSink(4);
    for (int length = 40; length >= 0; length--) {
      byte[] bytes = new byte[length + 3];
      random.nextBytes(bytes);
      ByteBuffer direct = ByteBuffer.allocateDirect(length);
      direct.put(bytes, 3, length).flip();
      ByteBuffer pageView = ByteBuffer.wrap(bytes, 3, length).slice();
      long slice = EventDigest.ofBinary(Binary.fromConstantByteArray(bytes, 3, length), scratch);
      assertEquals(EventDigest.ofBytes(bytes, 3, length), slice, "length " + length);
      assertEquals(slice, EventDigest.ofBinary(Binary.fromConstantByteBuffer(pageView), scratch), "length " + length);
      assertEquals(slice, EventDigest.ofBinary(Binary.fromConstantByteBuffer(direct), scratch), "length " + length);
    }
  }

  /** A value followed by other bytes in its array has the fingerprint it has alone. */
  @Test
  void bytesAfterAValueDoNotChangeItsFingerprint() {
    Random random = new Random(7);
    for (int length = 0; length < 40; length++) {
      byte[] amongOthers = new byte[3 + length + 8];
      random.nextBytes(amongOthers);
      byte[] alone = Arrays.copyOfRange(amongOthers, 3, 3 + length);
      assertEquals(
          EventDigest.ofBytes(alone, 0, length),
          EventDigest.ofBytes(amongOthers, 3, length),
          "length " + length);
    }
  }

  /** Every length up to 16 and every one-byte change of a value gives a new fingerprint. */
  @Test
  void changedOrLongerBytesChangeTheFingerprint() {
    Set<Long> seen = new HashSet<>();
    for (int length = 0; length <= 16; length++) {
      byte[] bytes = new byte[length];
      assertEquals(true, seen.add(EventDigest.ofBytes(bytes, 0, length)), "zeros of length " + length);
      for (int i = 0; i < length; i++) {
        bytes[i] = 1;
        assertNotEquals(EventDigest.ofBytes(new byte[length], 0, length), EventDigest.ofBytes(bytes, 0, length));
        bytes[i] = 0;
      }
    }
  }
}
