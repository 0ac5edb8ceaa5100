package dev.probe.rows;

/**
 * The input cannot be turned into probe rows as asked: a missing or unusable column, a file that is
 * not Parquet, files whose schemas conflict. The message is one line a user can act on.
 *
 * <p>Retrying cannot fix the data: workers raise it as their runner's {@link DataErrors} say, so
 * that the runner does not try again.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
