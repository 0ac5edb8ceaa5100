package dev.probe.rows.pipeline.cli;

/** The exit statuses of the {@code probe-rows} command. */
public enum ExitStatus {
  DONE(0),
  INTERNAL_ERROR(1),
  USAGE_ERROR(2),
  INPUT_ERROR(3),
  OUT_OF_MEMORY(4);

  private final int code;

  ExitStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
