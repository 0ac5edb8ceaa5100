package dev.probe.rows.runners.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's CPU goes, by stage, from the execution samples of a JFR recording of it: read,
 * encode, shuffle, sort and spill, merge, write, and the self-check.
 *
 * <p>A sample belongs to the stage of its innermost frame that names one. Parquet's readers and
 * decoders are read, its writers and encoders write. Shared code (Java's, Beam's coders, the
 * event-key bytes) names none, so a sample in it belongs to whoever called it. Flink's network, serializers and group
 * sort are the shuffle wherever they are called from; the Beam sorter and Hadoop's sort are sort.
 * The shares are of sampled Java CPU: the JIT's and GC's own threads are not sampled, so their CPU
 * is given apart, from the JVM's own counts; native code and the kernel are in neither.
 *
 * <p>Usage: {@code StageProfile RECORDING.jfr [TOP]}. Prints a Markdown table, and with TOP the
 * TOP innermost methods of each stage, to see what the attribution did.
 */
public final class StageProfile {
  static final String READ = "read (decompress, decode)";
  static final String ENCODE = "encode (event keys and values)";
  static final String SHUFFLE = "shuffle (Flink's serializers, network, group sort)";
  static final String SORT = "sort and spill";
  static final String MERGE = "merge runs";
  static final String WRITE = "write (assemble, encode, compress)";
  static final String SELF_CHECK = "self-check (fingerprints)";
  static final String OTHER = "other (runner, start-up, unattributed)";

  /**
   * Prefixes of class names, or of a class and method as {@code class#method}, that name a stage, looked up
   * from the innermost frame outwards, first match first.
   */
  private static final Map<String, String> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("dev.probe.rows.parquet.EventDigest", SELF_CHECK);
    STAGES.put("dev.probe.rows.parquet.Fingerprint", SELF_CHECK);
    STAGES.put("dev.probe.rows.parquet.FlatColumns$BinaryDigester", SELF_CHECK);
    STAGES.put("dev.probe.rows.parquet.FlatColumns#eventDigest", SELF_CHECK);
    // The codec's field writers replay encoded events into Parquet's writer.
    STAGES.put("dev.probe.rows.parquet.EventCodec$FieldWriter", WRITE);
    STAGES.put("dev.probe.rows.parquet.EventCodec#lambda$valueWriter", WRITE);
    STAGES.put("dev.probe.rows.ProbeRowSchema", WRITE);
    STAGES.put("dev.probe.rows.parquet.RowEncoder", ENCODE);
    STAGES.put("dev.probe.rows.parquet.EventCodec", ENCODE);
    STAGES.put("dev.probe.rows.schema.", ENCODE);
    STAGES.put("dev.probe.rows.parquet.ProbeRowFile", WRITE);
    STAGES.put("dev.probe.rows.parquet.ProbeRowWriteSupport", WRITE);
    STAGES.put("dev.probe.rows.parquet.OwnKeysWriter", WRITE);
    STAGES.put("dev.probe.rows.WriteProbeRows", WRITE);
    STAGES.put("dev.probe.rows.parquet.", READ);
    STAGES.put("dev.probe.rows.ReadSlices", READ);
    STAGES.put("dev.probe.rows.sort.MergeRuns", MERGE);
    STAGES.put("dev.probe.rows.sort.RunsByStart", MERGE);
    STAGES.put("dev.probe.rows.sort.", SORT);
    STAGES.put("org.apache.beam.sdk.extensions.sorter.", SORT);
    STAGES.put("org.apache.hadoop.io.", SORT);
    STAGES.put("org.apache.hadoop.mapred.", SORT);
    STAGES.put("org.apache.flink.runtime.io.", SHUFFLE);
    STAGES.put("org.apache.flink.runtime.operators.sort.", SHUFFLE);
    STAGES.put("org.apache.flink.runtime.memory.", SHUFFLE);
    STAGES.put("org.apache.flink.core.memory.", SHUFFLE);
    STAGES.put("org.apache.flink.api.common.typeutils.", SHUFFLE);
    STAGES.put("org.apache.beam.runners.flink.translation.types.", SHUFFLE);
  }

  private StageProfile() {}

  /**
   * Hands every written value on to Parquet's writer, fingerprinting it on the way: its own frames
   * are the self-check's, the writer's beneath it are not.
   */
  private static final String DIGESTING_CONSUMER = "dev.probe.rows.parquet.DigestingConsumer";

  static String stage(List<RecordedFrame> frames) {
    for (int i = 0; i < frames.size(); i++) {
      String type = frames.get(i).getMethod().getType().getName();
      if (type.equals(DIGESTING_CONSUMER)) {
        if (i == 0) {
          return SELF_CHECK;
        }
        continue;
      }
      String parquetSide = parquetSide(type);
      if (parquetSide != null) {
        return parquetSide;
      }
      String method = type + "#" + frames.get(i).getMethod().getName();
      for (Map.Entry<String, String> stage : STAGES.entrySet()) {
        String names = stage.getKey();
        if ((names.contains("#") ? method : type).startsWith(names)) {
          return stage.getValue();
        }
      }
    }
    return OTHER;
  }

  /**
   * Parquet's own readers and decoders are read, its writers, encoders and the dictionary maps
   * beneath them write, whichever of our classes drives them (own keys are copied from the column
   * readers straight into the writer); null for Parquet's shared code.
   */
  private static String parquetSide(String type) {
    if (type.startsWith("shaded.parquet.it.unimi.dsi.fastutil.")) {
      return WRITE;
    }
    if (!type.startsWith("org.apache.parquet.")) {
      return null;
    }
    String name = type.substring(type.lastIndexOf('.') + 1);
    if (name.contains("Reader") || name.contains("Decoder") || name.contains("Decompress")
        || name.contains("InputStream")) {
      return READ;
    }
    if (name.contains("Writer") || name.contains("Encoder") || name.contains("Compress")
        || name.contains("RecordConsumer")) {
      return WRITE;
    }
    return null;
  }

  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Map<String, Map<String, Long>> leaves = new LinkedHashMap<>();
    Map<String, Long> samples = new LinkedHashMap<>();
    for (String stage :
        List.of(READ, ENCODE, SHUFFLE, SORT, MERGE, WRITE, SELF_CHECK, OTHER)) {
      samples.put(stage, 0L);
    }
    long total = 0;
    Duration gcPauses = Duration.ZERO;
    Duration gcCpu = Duration.ZERO;
    Duration compiling = Duration.ZERO;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String name = event.getEventType().getName();
      if (name.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        String stage = stage(frames);
        samples.merge(stage, 1L, Long::sum);
        if (!frames.isEmpty()) {
          RecordedFrame leaf = frames.get(0);
          leaves
              .computeIfAbsent(stage, s -> new LinkedHashMap<>())
              .merge(
                  leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(),
                  1L,
                  Long::sum);
        }
        total++;
      } else if (name.equals("jdk.GarbageCollection")) {
        gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
      } else if (name.equals("jdk.GCCPUTime")) {
        gcCpu = gcCpu.plus(event.getDuration("userTime")).plus(event.getDuration("systemTime"));
      } else if (name.equals("jdk.CompilerStatistics")) {
        Duration spent = event.getDuration("totalTimeSpent");
        compiling = spent.compareTo(compiling) > 0 ? spent : compiling;
      }
    }
    System.out.println("| stage | samples | share of sampled CPU |");
    System.out.println("| --- | ---: | ---: |");
    for (Map.Entry<String, Long> stage : samples.entrySet()) {
      System.out.printf(
          "| %s | %,d | %.1f%% |%n", stage.getKey(), stage.getValue(), 100.0 * stage.getValue() / total);
    }
    System.out.printf(
        "%nOutside the samples: JIT compilation %.1f s, GC %.1f s of CPU (%.1f s of pauses).%n",
        compiling.toMillis() / 1e3, gcCpu.toMillis() / 1e3, gcPauses.toMillis() / 1e3);
    for (Map.Entry<String, Map<String, Long>> stage : leaves.entrySet()) {
      if (top > 0) {
        System.out.println("\n" + stage.getKey() + ":");
        stage.getValue().entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(top)
            .forEach(leaf -> System.out.printf("  %,6d %s%n", leaf.getValue(), leaf.getKey()));
      }
    }
  }
}
