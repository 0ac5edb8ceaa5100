package dev.probe.rows.pipeline.diagnose;

import dev.probe.rows.pipeline.OptionRange;
import dev.probe.rows.pipeline.StorageOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code probe-rows diagnose}. */
public interface DiagnoseOptions extends StorageOptions {
  @Description("Parquet files to inspect: a path or glob, as for run.")
  @Validation.Required
  String getInput();

  void setInput(String input);

  @Description("Column whose value makes one probe row, as for run.")
  @Default.String("src_addr")
  String getKeyColumn();

  void setKeyColumn(String keyColumn);

  @Description("Column the events of a row are ordered by, as for run.")
  @Default.String("event_time")
  String getSortColumn();

  void setSortColumn(String sortColumn);

  @Description(
      "Shards of the run to predict, as for run (1 to "
          + OptionRange.MAX_NUM_SHARDS
          + "; 0: four per parallel worker, see --parallelism): a row goes back in time within"
          + " its key's run only among the rows of its shard.")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int numShards);

  @Description(
      "Sort memory of the run to predict, in MB per worker, as for run (0: as run picks it for"
          + " --parallelism in this JVM): with --assumeOrdered it bounds the row groups a reader"
          + " merges at once.")
  @Default.Integer(0)
  int getSortMemoryMb();

  void setSortMemoryMb(int sortMemoryMb);

  @Description("Print the report as one JSON object instead of text.")
  @Default.Boolean(false)
  boolean getJson();

  void setJson(boolean json);
}
