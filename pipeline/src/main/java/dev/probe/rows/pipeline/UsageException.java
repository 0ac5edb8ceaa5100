package dev.probe.rows.pipeline;

/** The command line is wrong: an unknown option, a bad value. Exit status 2. */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
