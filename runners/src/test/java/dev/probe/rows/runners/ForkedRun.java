package dev.probe.rows.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command in a JVM of its own, on the tests' class path, for what one JVM cannot show of
 * another: a small heap, and everything it writes to stdout and stderr, logs included.
 */
final class ForkedRun {
  final int status;
  final String out;
  final String err;

  private ForkedRun(int status, String out, String err) {
    this.status = status;
    this.out = out;
    this.err = err;
  }

  static ForkedRun of(Path workDir, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Path out = workDir.resolve("stdout");
    Path err = workDir.resolve("stderr");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the forked run did not end: " + command);
    }
    return new ForkedRun(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
