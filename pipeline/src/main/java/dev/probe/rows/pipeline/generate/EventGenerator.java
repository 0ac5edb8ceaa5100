package dev.probe.rows.pipeline.generate;

import dev.probe.rows.pipeline.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * {@code probe-rows generate}: synthetic events shaped like the seed's network probes.
 *
 * <p>Columns, all nullable as DuckDB writes them, though the generator writes no nulls: {@code
 * src_addr} STRING (an IPv4 address), {@code event_time} TIMESTAMP(MICROS, not UTC-adjusted) within
 * 30 days from 2024-01-01, {@code dst_addr} STRING, {@code dst_port} INT32, {@code protocol} STRING
 * (tcp, udp or icmp), {@code ttl} INT32 and {@code packet_size} INT32.
 *
 * <p>Keys are heavy-tailed: key index {@code floor(K * u^4)} for uniform {@code u} gives the
 * busiest key about {@code K^-0.25} of all events (2.7% at two million keys) and most keys a
 * handful.
 */
public final class EventGenerator {
  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message event {\n"
              + "  optional binary src_addr (STRING);\n"
              + "  optional int64 event_time (TIMESTAMP(MICROS,false));\n"
              + "  optional binary dst_addr (STRING);\n"
              + "  optional int32 dst_port;\n"
              + "  optional binary protocol (STRING);\n"
              + "  optional int32 ttl;\n"
              + "  optional int32 packet_size;\n"
              + "}");

  static final int MAX_KEYS = 1 << 21;
  private static final int TIME_BITS = 42;
  private static final long START_MICROS = 1_704_067_200_000_000L;
  private static final long SPAN_MICROS = 30L * 24 * 3600 * 1_000_000;
  private static final String[] PROTOCOLS = {"tcp", "udp", "icmp"};

  private EventGenerator() {}

  /** Writes the files and returns their paths. */
  public static Path[] generate(GenerateOptions options) throws IOException {
    long events = options.getEvents();
    int keys =
        options.getKeys() > 0
            ? options.getKeys()
            : (int) Math.max(1, Math.min(MAX_KEYS, events / 10));
    if (events < 0 || options.getFiles() < 1 || keys > MAX_KEYS || events > Integer.MAX_VALUE) {
      throw new UsageException(
          "generate needs --events between 0 and "
              + Integer.MAX_VALUE
              + ", --files of 1 or more and --keys of at most "
              + MAX_KEYS);
    }
    SplittableRandom random = new SplittableRandom(options.getSeed());
    String[] addresses = addresses(keys);
    long[] order = new long[(int) events];
    int[] rank = options.getSorted() ? lexicalRanks(addresses) : null;
    for (int i = 0; i < order.length; i++) {
      int key = (int) (keys * Math.pow(random.nextDouble(), 4));
      long time = random.nextLong(SPAN_MICROS);
      order[i] = ((long) (rank == null ? key : rank[key]) << TIME_BITS) | time;
    }
    int[] keyOfRank = rank == null ? null : inverse(rank);
    if (options.getSorted()) {
      Arrays.parallelSort(order);
    }

    Path folder = Paths.get(options.getOutput());
    Files.createDirectories(folder);
    Path[] files = new Path[options.getFiles()];
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    for (int file = 0; file < files.length; file++) {
      files[file] = folder.resolve(String.format("events-%05d.parquet", file));
      int from = (int) (events * file / files.length);
      int to = (int) (events * (file + 1) / files.length);
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new LocalOutputFile(files[file]))
              .withType(SCHEMA)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withRowGroupSize(32L * 1024 * 1024)
              .build()) {
        for (int i = from; i < to; i++) {
          int keyOrRank = (int) (order[i] >>> TIME_BITS);
          int key = keyOfRank == null ? keyOrRank : keyOfRank[keyOrRank];
          long time = order[i] & ((1L << TIME_BITS) - 1);
          writer.write(
              groups
                  .newGroup()
                  .append("src_addr", addresses[key])
                  .append("event_time", START_MICROS + time)
                  .append("dst_addr", address(random.nextInt(1 << 24), 172))
                  .append("dst_port", random.nextInt(65536))
                  .append("protocol", PROTOCOLS[random.nextInt(PROTOCOLS.length)])
                  .append("ttl", 32 + random.nextInt(224))
                  .append("packet_size", 40 + random.nextInt(1461)));
        }
      }
    }
    return files;
  }

  /** Distinct addresses: an odd multiplier is a bijection modulo 2^24. */
  private static String[] addresses(int keys) {
    String[] addresses = new String[keys];
    for (int key = 0; key < keys; key++) {
      addresses[key] = address((int) ((key * 0x9E3779B1L) & 0xFFFFFF), 10);
    }
    return addresses;
  }

  private static String address(int host, int network) {
    return network + "." + ((host >>> 16) & 255) + "." + ((host >>> 8) & 255) + "." + (host & 255);
  }

  private static int[] lexicalRanks(String[] addresses) {
    Integer[] byName = new Integer[addresses.length];
    for (int i = 0; i < byName.length; i++) {
      byName[i] = i;
    }
    Arrays.sort(byName, (a, b) -> addresses[a].compareTo(addresses[b]));
    int[] rank = new int[addresses.length];
    for (int i = 0; i < byName.length; i++) {
      rank[byName[i]] = i;
    }
    return rank;
  }

  private static int[] inverse(int[] permutation) {
    int[] inverse = new int[permutation.length];
    for (int i = 0; i < permutation.length; i++) {
      inverse[permutation[i]] = i;
    }
    return inverse;
  }
}
