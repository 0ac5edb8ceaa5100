package dev.probe.rows.runners;

import dev.probe.rows.GroupIntoProbeRowsCases;
import dev.probe.rows.testing.TestPipelineExtension;
import dev.probe.rows.testing.TestPipelineOptions;
import java.nio.file.Path;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link GroupIntoProbeRowsCases} on embedded Flink, two workers. */
@ExtendWith(TestPipelineExtension.class)
@TestPipelineOptions({"--runner=FlinkRunner", "--parallelism=2"})
class GroupIntoProbeRowsOnFlinkTest {
  @TempDir Path temp;

  @Test
  void eightMixedRows(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.eightMixedRows(pipeline);
  }

  @Test
  void maxEventsPerRow(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.maxEventsPerRow(pipeline);
  }

  @Test
  void tiesNegativeTimesAndNullPayloads(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.tiesNegativeTimesAndNullPayloads(pipeline);
  }

  @Test
  void otherKeyAndSortTypes(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.otherKeyAndSortTypes(pipeline);
  }

  @Test
  void nullKeyFails(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.nullKeyFails(pipeline);
  }

  @Test
  void keyLargerThanTheSortMemory(TestPipeline pipeline) throws Exception {
    GroupIntoProbeRowsCases.keyLargerThanTheSortMemory(pipeline, temp);
  }

  @Test
  void pojos(TestPipeline pipeline) {
    GroupIntoProbeRowsCases.pojos(pipeline);
  }

  @Test
  void avroRecordsFromParquetIo(TestPipeline pipeline) throws Exception {
    GroupIntoProbeRowsCases.avroRecordsFromParquetIo(pipeline, temp);
  }
}
