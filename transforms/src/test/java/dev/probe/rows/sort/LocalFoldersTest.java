package dev.probe.rows.sort;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFoldersTest {
  @TempDir Path temp;

  /**
   * Two deleters race over the same tree, as the run's clean-up does with a shutting-down Flink:
   * each finds entries the other already removed, and neither may fail for it.
   */
  @Test
  void entriesThatVanishMeanwhileAreSkipped() throws Exception {
    ExecutorService deleters = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        Path folder = temp.resolve("spill-" + round);
        for (int sub = 0; sub < 20; sub++) {
          Path subfolder = Files.createDirectories(folder.resolve("flink-" + sub).resolve("x"));
          for (int file = 0; file < 20; file++) {
            Files.createFile(subfolder.resolve("channel-" + file));
          }
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> both = new ArrayList<>();
        for (int deleter = 0; deleter < 2; deleter++) {
          both.add(
              deleters.submit(
                  () -> {
                    start.await();
                    LocalFolders.deleteRecursively(folder);
                    return null;
                  }));
        }
        start.countDown();
        for (Future<Void> deleter : both) {
          deleter.get();
        }
        assertFalse(Files.exists(folder));
      }
    } finally {
      deleters.shutdownNow();
    }
  }

  @Test
  void aMissingFolderIsNothingToDelete() throws Exception {
    LocalFolders.deleteRecursively(temp.resolve("never-made"));
    assertFalse(Files.exists(temp.resolve("never-made")));
  }
}
