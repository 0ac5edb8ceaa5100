package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class FileSliceCoderTest {
  private static final byte[] LOW = {'1', '0', '.', 0, (byte) 0xFF, 0, 0};
  private static final byte[] HIGH = {'1', '0', '.', '9', 0, 0};

  @Test
  void everySliceComesBackEqual() throws Exception {
    FileSlice plain =
        new FileSlice(7, "/data/übung (1)/part 0.parquet", 1L << 40, 3, 5_000_000_000L, 42);
    for (FileSlice slice :
        new FileSlice[] {
          plain,
          plain.withKeyRange(new KeyRange(LOW, HIGH)),
          plain.withKeyRange(new KeyRange(LOW, HIGH, true)),
          new FileSlice(0, "s3a://bucket/a.parquet", 0, 0, 0, 0)
        }) {
      CoderProperties.coderDecodeEncodeEqual(FileSlice.CODER, slice);
      CoderProperties.coderConsistentWithEquals(FileSlice.CODER, slice, slice);
      assertEquals(
          slice.keyRange() != null && slice.keyRange().exclusive(),
          CoderUtils.clone(FileSlice.CODER, slice).keyRange() != null
              && CoderUtils.clone(FileSlice.CODER, slice).keyRange().exclusive());
    }
  }

  @Test
  void aDamagedRangeTagIsRefused() {
    assertThrows(
        IOException.class, () -> KeyRange.decode(new ByteArrayInputStream(new byte[] {9})));
  }
}
