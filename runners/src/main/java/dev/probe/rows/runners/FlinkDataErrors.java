package dev.probe.rows.runners;

import dev.probe.rows.DataErrors;
import dev.probe.rows.InvalidInputException;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * Input errors as Flink's restart strategy must see them: its classifier finds the annotation on
 * {@link NotRetried} in the failure's cause chain and fails the job without a restart, where it
 * would otherwise read the same bad file again. The input error stays the cause, for the command
 * line's message.
 */
final class FlinkDataErrors implements DataErrors {
  private static final long serialVersionUID = 1L;

  @Override
  public RuntimeException raise(InvalidInputException error) {
    return new NotRetried(error);
  }

  @ThrowableAnnotation(ThrowableType.NonRecoverableError)
  static final class NotRetried extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotRetried(InvalidInputException error) {
      super(error.getMessage(), error);
    }
  }
}
