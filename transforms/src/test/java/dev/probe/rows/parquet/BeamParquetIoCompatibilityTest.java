package dev.probe.rows.parquet;

import dev.probe.rows.testing.TestInputs;
import dev.probe.rows.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parquet is pinned to 1.15.2 (parquet-avro up to 1.15.1: CVE-2025-30065, CVE-2025-46762); Beam
 * 2.62's ParquetIO was built against an older release. It must still read with the pinned one.
 */
@ExtendWith(TestPipelineExtension.class)
class BeamParquetIoCompatibilityTest {
  @Test
  void parquetIoReadsWithThePinnedParquet(TestPipeline pipeline) throws IOException {
    Path events = TestInputs.testdata().resolve("events");
    Path first = events.resolve("events-00000.parquet");
    Schema schema;
    try (ParquetFileReader reader =
        ParquetFileReader.open(ParquetFiles.inputFile(first.toString(), first.toFile().length()))) {
      schema = new AvroSchemaConverter().convert(reader.getFooter().getFileMetaData().getSchema());
    }
    PAssert.thatSingleton(
            pipeline
                .apply(ParquetIO.read(schema).from(events.resolve("*.parquet").toString()))
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via((GenericRecord record) -> String.valueOf(record.get("src_addr"))))
                .apply(Count.globally()))
        .isEqualTo(100_000L);
    pipeline.run().waitUntilFinish();
  }
}
