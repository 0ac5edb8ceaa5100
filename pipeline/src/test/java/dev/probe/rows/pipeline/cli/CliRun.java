package dev.probe.rows.pipeline.cli;

import dev.probe.rows.pipeline.RunnerSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One invocation of the command line, with what it printed. */
public final class CliRun {
  public final ExitStatus status;
  public final String out;
  public final String err;

  private CliRun(ExitStatus status, String out, String err) {
    this.status = status;
    this.out = out;
    this.err = err;
  }

  public static CliRun of(RunnerSupport runners, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitStatus status =
        new ProbeRowsCli(
                runners,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    return new CliRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
