package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/** The self-check's fingerprint of bytes: the same wherever they live, different for others. */
class EventDigestTest {
  @Test
  void bytesOnAndOffTheHeapHaveOneFingerprint() {
    Random random = new Random(5);
    for (int length = 0; length < 40; length++) {
      byte[] bytes = new byte[length + 3];
      random.nextBytes(bytes);
      ByteBuffer direct = ByteBuffer.allocateDirect(length);
      direct.put(bytes, 3, length).flip();
      long onHeap = EventDigest.ofBinary(Binary.fromConstantByteArray(bytes, 3, length));
      assertEquals(onHeap, EventDigest.ofBytes(bytes, 3, length), "length " + length);
      assertEquals(onHeap, EventDigest.ofBinary(Binary.fromConstantByteBuffer(direct)), "length " + length);
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
