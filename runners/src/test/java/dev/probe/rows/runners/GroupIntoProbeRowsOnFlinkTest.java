package dev.probe.rows.runners;

import dev.probe.rows.GroupIntoProbeRowsCases;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/** {@link GroupIntoProbeRowsCases} on embedded Flink, two workers. */
class GroupIntoProbeRowsOnFlinkTest {
  @TempDir Path temp;

  private interface Case {
    void run(TestPipeline pipeline) throws Exception;
  }

  /** Runs the case inside TestPipeline's rule, whose checks (it ran, nothing abandoned) apply. */
  private void onFlink(TestInfo test, Case body) throws Throwable {
    TestPipeline pipeline =
        TestPipeline.fromOptions(
            PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--parallelism=2").create());
    Statement statement =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            body.run(pipeline);
          }
        };
    pipeline
        .apply(statement, Description.createTestDescription(getClass(), test.getDisplayName()))
        .evaluate();
  }

  @Test
  void eightMixedRows(TestInfo test) throws Throwable {
    onFlink(test, GroupIntoProbeRowsCases::eightMixedRows);
  }

  @Test
  void maxEventsPerRow(TestInfo test) throws Throwable {
    onFlink(test, GroupIntoProbeRowsCases::maxEventsPerRow);
  }

  @Test
  void tiesNegativeTimesAndNullPayloads(TestInfo test) throws Throwable {
    onFlink(test, GroupIntoProbeRowsCases::tiesNegativeTimesAndNullPayloads);
  }

  @Test
  void otherKeyAndSortTypes(TestInfo test) throws Throwable {
    onFlink(test, GroupIntoProbeRowsCases::otherKeyAndSortTypes);
  }

  @Test
  void nullKeyFails(TestInfo test) throws Throwable {
    onFlink(test, GroupIntoProbeRowsCases::nullKeyFails);
  }

  @Test
  void keyLargerThanTheSortMemory(TestInfo test) throws Throwable {
    onFlink(test, pipeline -> GroupIntoProbeRowsCases.keyLargerThanTheSortMemory(pipeline, temp));
  }

  @Test
  void pojos(TestInfo test) throws Throwable {
    onFlink(test, GroupIntoProbeRowsCases::pojos);
  }

  @Test
  void avroRecordsFromParquetIo(TestInfo test) throws Throwable {
    onFlink(test, pipeline -> GroupIntoProbeRowsCases.avroRecordsFromParquetIo(pipeline, temp));
  }
}
