package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class StreamingSnappyTest {
  @Test
  void fragmentsDecodeAsOneSnappyBlock() throws Exception {
    // 3.3 MB: many fragments and blocks, a partial last fragment, repeats that span fragments.
    Random random = new Random(11);
    byte[] page = new byte[3_300_017];
    for (int i = 0; i < page.length; i++) {
      page[i] = i % 5000 < 2500 ? (byte) random.nextInt(256) : page[i - 2500];
    }
    byte[] compressed =
        new StreamingSnappy()
            .getCompressor(CompressionCodecName.SNAPPY)
            .compress(
                BytesInput.concat(
                    BytesInput.from(page, 0, 100), BytesInput.from(page, 100, page.length - 100)))
            .toByteArray();
    assertArrayEquals(page, Snappy.uncompress(compressed));
  }
}
