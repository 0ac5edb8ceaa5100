package dev.probe.rows.sort;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Folders on this machine's own disk: spill folders and local output.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class LocalFolders {
  private LocalFolders() {}

  /**
   * Deletes {@code folder} and everything in it; nothing if it does not exist. Entries that vanish
   * meanwhile are skipped: an embedded Flink that is shutting down removes its own shuffle folders
   * inside the run's spill folder while this walks it.
   */
  public static void deleteRecursively(Path folder) throws IOException {
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (failure instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw failure;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, IOException failure)
              throws IOException {
            if (failure != null && !(failure instanceof NoSuchFileException)) {
              throw failure;
            }
            Files.deleteIfExists(directory);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
