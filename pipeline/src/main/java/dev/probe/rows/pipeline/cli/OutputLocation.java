package dev.probe.rows.pipeline.cli;

import dev.probe.rows.InvalidInputException;
import dev.probe.rows.pipeline.UsageException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.List;

/**
 * Refuses an {@code --output} that cannot become the run's folder, from its name and the local
 * disk alone, before any input is read.
 */
final class OutputLocation {
  private OutputLocation() {}

  /** Files a run writes, relative to its folder, that a glob over the input might match. */
  private static final List<String> WRITTEN =
      List.of("part-00000-of-00001.parquet", "_rejects/part-00000-00000.parquet");

  /**
   * @throws UsageException when {@code output} is a file, or {@code input} would match the files
   *     written there
   * @throws InvalidInputException when a local {@code output} cannot be created or written
   */
  static void check(String input, String output) {
    if (readsOwnOutput(input, output)) {
      throw new UsageException(
          "--output="
              + output
              + " is inside --input="
              + input
              + ": the run would write files its input matches; choose a folder outside it");
    }
    if (output.contains("://") && !output.startsWith("file:")) {
      return; // A store is checked when the output is prepared.
    }
    Path folder = Paths.get(output.replaceFirst("^file://", "")).toAbsolutePath().normalize();
    if (Files.isRegularFile(folder)) {
      throw new UsageException("--output=" + output + " is a file; name a new or empty folder");
    }
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw new UsageException(
          "--output=" + output + " cannot be a folder: " + existing + " is a file");
    }
    if (!Files.isWritable(existing)) {
      throw new InvalidInputException(
          "cannot write --output="
              + output
              + ": "
              + existing
              + " is not writable (read-only disk or permissions)");
    }
  }

  /** Whether {@code inputGlob} matches a file the run writes into {@code outputFolder}. */
  static boolean readsOwnOutput(String inputGlob, String outputFolder) {
    String[] in = rootAndPath(inputGlob);
    String[] out = rootAndPath(outputFolder);
    if (!in[0].equals(out[0])) {
      return false;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + in[1]);
    return WRITTEN.stream().anyMatch(file -> matcher.matches(Paths.get(out[1], file)));
  }

  /** {"scheme://authority", "/absolute/path"}; local paths have the root "". */
  private static String[] rootAndPath(String location) {
    String local = location.replaceFirst("^file://", "");
    int scheme = local.indexOf("://");
    if (scheme < 0) {
      return new String[] {"", Paths.get(local).toAbsolutePath().normalize().toString()};
    }
    int path = local.indexOf('/', scheme + 3);
    return path < 0
        ? new String[] {local, "/"}
        : new String[] {local.substring(0, path), Paths.get(local.substring(path)).normalize().toString()};
  }
}
