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
 * <p>A sample belongs to the stage of its innermost frame that names one. Shared code (Java's,
 * Parquet's column code, Beam's coders, compressors, the event-key bytes) names none, so a
 * sample in it belongs to whoever called it: Parquet's value decoding under the slice reader is
 * read, the same code under the probe-row writer is write. Flink's network, serializers and group
 * sort are the shuffle wherever they are called from; the Beam sorter and Hadoop's sort are sort.
 * The shares are of sampled Java CPU: the GC's and JIT's own threads are not sampled, so their
 * time is given apart (GC pauses) or not at all.
 *
 * <p>Usage: {@code StageProfile RECORDING.jfr}. Prints a Markdown table.
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

  /** Class-name prefixes that name a stage, looked up from the innermost frame outwards. */
  private static final Map<String, String> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("dev.probe.rows.parquet.EventDigest", SELF_CHECK);
    STAGES.put("dev.probe.rows.parquet.DigestingConsumer", SELF_CHECK);
    STAGES.put("dev.probe.rows.parquet.Fingerprint", SELF_CHECK);
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

  static String stage(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      for (Map.Entry<String, String> stage : STAGES.entrySet()) {
        if (type.startsWith(stage.getKey())) {
          return stage.getValue();
        }
      }
    }
    return OTHER;
  }

  public static void main(String[] args) throws Exception {
    Map<String, Long> samples = new LinkedHashMap<>();
    for (String stage :
        List.of(READ, ENCODE, SHUFFLE, SORT, MERGE, WRITE, SELF_CHECK, OTHER)) {
      samples.put(stage, 0L);
    }
    long total = 0;
    Duration gcPauses = Duration.ZERO;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String name = event.getEventType().getName();
      if (name.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
        samples.merge(stage(event.getStackTrace().getFrames()), 1L, Long::sum);
        total++;
      } else if (name.equals("jdk.GarbageCollection")) {
        gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
      }
    }
    System.out.println("| stage | samples | share of sampled CPU |");
    System.out.println("| --- | ---: | ---: |");
    for (Map.Entry<String, Long> stage : samples.entrySet()) {
      System.out.printf(
          "| %s | %,d | %.1f%% |%n", stage.getKey(), stage.getValue(), 100.0 * stage.getValue() / total);
    }
    System.out.printf("%nGC pauses: %.1f s in all.%n", gcPauses.toMillis() / 1e3);
  }
}
