package dev.probe.rows.transforms;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The input cannot be turned into probe rows as asked: a missing or unusable column, a file that is
 * not Parquet, files whose schemas conflict. The message is one line a user can act on.
 *
 * <p>Retrying cannot fix the data, so Flink's restart strategy is told not to try; other runners
 * never load the annotation.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
