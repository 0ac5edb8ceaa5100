package dev.probe.rows.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The runnable jar, run as a user runs it: a JVM of its own, with its own environment. */
final class ProbeRowsJar {
  private final Path jar;
  private final Path logs;
  private final Map<String, String> environment;

  /**
   * @param environment replaces the inherited HADOOP_CONF_DIR and AWS_* variables, so nothing of
   *     the machine's own configuration reaches the runs
   */
  ProbeRowsJar(Path jar, Path logs, Map<String, String> environment) {
    this.jar = jar;
    this.logs = logs;
    this.environment = environment;
  }

  /** The same jar with more (or other) environment variables. */
  ProbeRowsJar withEnvironment(Map<String, String> more) {
    Map<String, String> merged = new java.util.HashMap<>(environment);
    merged.putAll(more);
    return new ProbeRowsJar(jar, logs, merged);
  }

  /** What a finished run printed. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** A run in progress; its output goes to files, so a full pipe never stalls it. */
  final class Started {
    final Process process;
    private final Path out;
    private final Path err;

    private Started(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    String outSoFar() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    Result await(Duration timeout) throws Exception {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("no end within " + timeout + ":\n" + outSoFar());
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  Started start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("HADOOP_"));
    builder.environment().putAll(environment);
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new Started(builder.start(), out, err);
  }

  Result run(String name, String... args) throws Exception {
    return start(name, args).await(Duration.ofMinutes(5));
  }
}
