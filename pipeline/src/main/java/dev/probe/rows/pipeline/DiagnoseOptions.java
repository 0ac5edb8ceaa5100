package dev.probe.rows.pipeline;

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

  @Description("Print the report as one JSON object instead of text.")
  @Default.Boolean(false)
  boolean getJson();

  void setJson(boolean json);
}
