package dev.probe.rows.pipeline.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.probe.rows.pipeline.diagnose.OrderCheck.FileOrder;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a {@link Diagnosis} for people, or as one JSON object for scripts. */
final class DiagnosisReport {
  private static final String MEMORY_BASIS =
      "a run's Parquet writer holds each probe row whole, so the largest key's events times the"
          + " input's uncompressed bytes per row (from the Parquet footers); the sort adds"
          + " --sortMemoryMb per worker and spills beyond it, so the input's total size does not"
          + " matter";

  private DiagnosisReport() {}

  static void printText(Diagnosis d, PrintStream out) {
    out.printf(
        "probe-rows diagnose: %,d rows in %,d files, scanned in %.1f s (%,.0f rows/s)%n",
        d.rows, d.fileCount, d.seconds, d.rows / Math.max(d.seconds, 1e-9));
    out.printf("  rows with null %s: %,d%n", d.keyColumn, d.nullKeyRows);
    out.printf("  rows with null %s: %,d%n", d.sortColumn, d.nullSortRows);
    out.printf(
        "  distinct keys: %s%,d (probe rows of a run without --maxEventsPerRow)%n",
        d.estimated ? "about " : "", d.distinctKeys);
    out.printf("  key runs: %,d (maximal runs of one key within a file)%n", d.keyRuns);
    out.printf(
        "  time going back: %s%,d rows of %s%,d keys (a row earlier in %s than an earlier row of"
            + " its key, in input order: files by name, then rows, however far apart)%n",
        d.estimated ? "at least " : "",
        d.rowsGoingBack,
        d.estimated ? "at least " : "",
        d.keysGoingBack,
        d.sortColumn);
    for (FileOrder file : d.files) {
      out.printf(
          "    %s: %,d rows, %,d going back in time%n", file.path, file.rows, file.rowsGoingBack);
    }
    Diagnosis.OrderedRun run = d.orderedRun;
    out.printf(
        "  run --assumeOrdered with %,d shards would report: %,d rows went back in time within"
            + " their key's run in its row group and shard; %,d of %,d row groups wrote the keys"
            + " they alone hold (%,d were out of order and shipped them); %,d key ranges merged"
            + " from files each sorted by key (%,d were out of order and shipped them)%n",
        run.numShards,
        run.orderViolations,
        run.rowGroupsOwnKeysWritten,
        run.rowGroups,
        run.rowGroupsOwnKeysAbandoned,
        run.keyRangesMerged,
        run.keyRangesFallenBack);
    out.printf(
        "  events per key: median %,d, p99 %,d, max %,d%n",
        d.medianEvents, d.p99Events, d.maxEvents);
    out.println("  largest keys:");
    for (KeyCount key : d.largestKeys) {
      out.printf("    %s: %,d events%n", KeyFormat.value(key.key(), d.keyType), key.events());
    }
    if (d.estimated) {
      out.println("  " + estimateNote());
    }
    out.printf(
        "  memory for run: about %s for the largest probe row (%,d events x %,d bytes)%n",
        mebibytes(d.largestRowBytes()), d.maxEvents, d.bytesPerRow());
    out.println("    basis: " + MEMORY_BASIS);
    out.println("  recommendation: " + recommendation(d));
  }

  static void printJson(Diagnosis d, PrintStream out) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input", d.input);
    json.put("keyColumn", d.keyColumn);
    json.put("sortColumn", d.sortColumn);
    json.put("fileCount", d.fileCount);
    json.put("rows", d.rows);
    json.put("nullKeyRows", d.nullKeyRows);
    json.put("nullSortRows", d.nullSortRows);
    json.put("events", d.events());
    json.put("estimated", d.estimated);
    json.put("distinctKeys", d.distinctKeys);
    json.put("keyRuns", d.keyRuns);
    json.put(
        "timeGoingBack",
        fields("rows", d.rowsGoingBack, "keys", d.keysGoingBack, "lowerBound", d.estimated));
    List<Map<String, Object>> files = new ArrayList<>();
    for (FileOrder file : d.files) {
      files.add(
          fields(
              "path", file.path,
              "rows", file.rows,
              "nullKeyRows", file.nullKeyRows,
              "nullSortRows", file.nullSortRows,
              "keyRuns", file.keyRuns,
              "rowsGoingBack", file.rowsGoingBack));
    }
    json.put("files", files);
    json.put(
        "eventsPerKey", fields("median", d.medianEvents, "p99", d.p99Events, "max", d.maxEvents));
    List<Map<String, Object>> largest = new ArrayList<>();
    for (KeyCount key : d.largestKeys) {
      largest.add(fields("key", KeyFormat.value(key.key(), d.keyType), "events", key.events()));
    }
    json.put("largestKeys", largest);
    json.put(
        "memory",
        fields(
            "largestRowEvents",
            d.maxEvents,
            "bytesPerRow",
            d.bytesPerRow(),
            "largestRowBytes",
            d.largestRowBytes(),
            "basis",
            MEMORY_BASIS));
    Diagnosis.OrderedRun run = d.orderedRun;
    json.put(
        "assumeOrderedRun",
        fields(
            "numShards", run.numShards,
            "orderViolations", run.orderViolations,
            "rowGroups", run.rowGroups,
            "rowGroupsOwnKeysWritten", run.rowGroupsOwnKeysWritten,
            "rowGroupsOwnKeysAbandoned", run.rowGroupsOwnKeysAbandoned,
            "keyRangesMerged", run.keyRangesMerged,
            "keyRangesFallenBack", run.keyRangesFallenBack));
    json.put("assumeOrderedSafe", d.assumeOrderedIsSafe());
    json.put("recommendation", recommendation(d));
    if (d.estimated) {
      json.put("estimateNote", estimateNote());
    }
    json.put("seconds", d.seconds);
    try {
      out.println(new ObjectMapper().writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON object whose fields keep the order given: alternating names and values. */
  private static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields;
  }

  private static String estimateNote() {
    return "estimates: the keys outgrew the exact counts, so distinct keys, median and p99 come"
        + " from a uniform sample of keys and the largest keys' counts may be too high";
  }

  private static String recommendation(Diagnosis d) {
    if (d.events() == 0) {
      return "no row has both a key and a sort value: a run would write no probe rows";
    }
    String order;
    Boolean safe = d.assumeOrderedIsSafe();
    if (safe == null) {
      order =
          "--assumeOrdered may be safe: no key's time was seen going back, but the keys outgrew the"
              + " exact counts, so keys outside the sample were only checked within their runs";
    } else if (safe) {
      order =
          "--assumeOrdered is safe: no key's time goes back in input order, and no row group or"
              + " key range falls back to shipping its rows";
    } else {
      String why =
          String.format(
              "%,d rows go back in time, %,d row groups would fall back to shipping their own keys,"
                  + " %,d key ranges to shipping their rows",
              d.rowsGoingBack,
              d.orderedRun.rowGroupsOwnKeysAbandoned,
              d.orderedRun.keyRangesFallenBack);
      if (2 * d.keyRuns > d.events()) {
        // Runs of one or two rows: shipping runs saves nothing over sorting single events.
        order =
            String.format(
                "--assumeOrdered is not safe (%s) and keys are not grouped (%,d runs for %,d"
                    + " events): use --assumeOrdered=false",
                why, d.keyRuns, d.events());
      } else {
        order =
            String.format(
                "--assumeOrdered is not safe (%s): the output is the same, as run checks the order"
                    + " and merges or falls back where it breaks, but --assumeOrdered=false avoids"
                    + " that work if it breaks often",
                why);
      }
    }
    long maxEventsPerRow = d.suggestedMaxEventsPerRow();
    return maxEventsPerRow == 0
        ? order
        : String.format(
            "%s; the largest probe row needs about %s: --maxEventsPerRow=%d splits it",
            order, mebibytes(d.largestRowBytes()), maxEventsPerRow);
  }

  private static String mebibytes(long bytes) {
    return String.format("%,.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
