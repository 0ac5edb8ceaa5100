package dev.probe.rows.runners.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * The benchmark's floor: read the input Parquet files with parquet-mr (example {@link Group} API)
 * and write the same rows back to Parquet, Snappy, with no grouping or sorting at all. Files are
 * split across the threads (file i goes to thread i mod threads); each input file becomes one
 * output file. Anything that groups the same rows must at least read and write them, so this is the
 * cost below which no grouping tool on this JVM can go (short of a column-level copy).
 *
 * <p>Usage: {@code FloorCopy OUTPUT_DIR THREADS INPUT_FILE...}. Prints {@code BENCH rows=N} and
 * {@code BENCH inner_seconds=S} (from the start of main, i.e. without JVM start-up).
 */
public final class FloorCopy {
  /** Same row-group size as probe-rows' writer. */
  private static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;

  private FloorCopy() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    if (args.length < 3) {
      System.err.println("usage: FloorCopy OUTPUT_DIR THREADS INPUT_FILE...");
      System.exit(2);
    }
    Path output = Paths.get(args[0]);
    int threads = Integer.parseInt(args[1]);
    List<Path> inputs = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      inputs.add(Paths.get(args[i]));
    }
    Files.createDirectories(output);
    AtomicLong rows = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = thread; i < inputs.size(); i += threads) {
                    Path target = output.resolve(String.format("part-%05d.parquet", i));
                    rows.addAndGet(copy(inputs.get(i), target));
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("BENCH rows=" + rows.get());
    System.out.printf("BENCH inner_seconds=%.3f%n", (System.nanoTime() - start) / 1e9);
  }

  private static long copy(Path input, Path target) throws IOException {
    MessageType schema;
    try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(input))) {
      schema = footer.getFooter().getFileMetaData().getSchema();
    }
    long rows = 0;
    try (ParquetReader<Group> reader = new GroupReader(new LocalInputFile(input)).build();
        ParquetWriter<Group> writer =
            ExampleParquetWriter.builder(new LocalOutputFile(target))
                .withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        writer.write(row);
        rows++;
      }
    }
    return rows;
  }

  private static final class GroupReader extends ParquetReader.Builder<Group> {
    GroupReader(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
