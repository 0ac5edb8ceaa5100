package dev.probe.rows.pipeline.generate;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code probe-rows generate}. */
public interface GenerateOptions extends PipelineOptions {
  @Description("Folder to write events-NNNNN.parquet into (created if missing).")
  @Validation.Required
  String getOutput();

  void setOutput(String output);

  @Description("How many events to write.")
  @Default.Long(100_000)
  long getEvents();

  void setEvents(long events);

  @Description(
      "Distinct source addresses to draw from (heavy-tailed: a few get very many events)."
          + " 0: one per ten events. At most 2097152.")
  @Default.Integer(0)
  int getKeys();

  void setKeys(int keys);

  @Description("How many files to split the events over.")
  @Default.Integer(1)
  int getFiles();

  void setFiles(int files);

  @Description(
      "Write the events sorted by (src_addr, event_time), split over the files in that order."
          + " Otherwise they are in random order.")
  @Default.Boolean(false)
  boolean getSorted();

  void setSorted(boolean sorted);

  @Description("Seed of the random generator; the same seed writes the same files.")
  @Default.Long(42)
  long getSeed();

  void setSeed(long seed);
}
