package dev.probe.rows.transforms;

/**
 * The input cannot be turned into probe rows as asked: a missing or unusable column, a file that is
 * not Parquet, files whose schemas conflict. The message is one line a user can act on.
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
