package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.probe.rows.DataErrors;
import dev.probe.rows.InvalidInputException;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.UserCodeException;
import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.junit.jupiter.api.Test;

/** What Flink's failover decides about an input error, as Beam's Flink runner passes it on. */
class FlinkDataErrorsTest {
  private static Optional<Throwable> nonRecoverable(RuntimeException raised) {
    return ThrowableClassifier.findThrowableOfThrowableType(
        new RuntimeException("task failed", UserCodeException.wrap(raised)),
        ThrowableType.NonRecoverableError);
  }

  @Test
  void anInputErrorOnFlinkIsNotRestarted() {
    InvalidInputException error = new InvalidInputException("cannot read a.parquet row group 0");
    RuntimeException raised = new FlinkDataErrors().raise(error);
    Throwable found = nonRecoverable(raised).orElseThrow();
    assertSame(error, found.getCause());
    assertEquals(error.getMessage(), found.getMessage());
  }

  /** The library alone tells Flink nothing: without the runner's way it would restart. */
  @Test
  void anInputErrorAsThrownIsRecoverableToFlink() {
    InvalidInputException error = new InvalidInputException("cannot read a.parquet row group 0");
    assertFalse(nonRecoverable(DataErrors.AS_THROWN.raise(error)).isPresent());
  }

  @Test
  void onlyFlinkGetsIt() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(FlinkRunner.class);
    assertEquals(FlinkDataErrors.class, new BundledRunners().dataErrors(options).getClass());
    options.setRunner(DirectRunner.class);
    assertSame(DataErrors.AS_THROWN, new BundledRunners().dataErrors(options));
  }
}
