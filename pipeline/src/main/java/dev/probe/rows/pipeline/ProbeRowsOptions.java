package dev.probe.rows.pipeline;

import java.util.List;
import org.apache.beam.sdk.extensions.sorter.ExternalSorter.Options.SorterType;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code probe-rows run}. */
public interface ProbeRowsOptions extends StorageOptions {
  @Description(
      "Parquet files to read: a path or glob, local or on HDFS or S3, e.g. 'events/*.parquet',"
          + " 'hdfs://namenode:8020/events/*.parquet', 's3a://bucket/events/*.parquet'.")
  @Validation.Required
  String getInput();

  void setInput(String input);

  @Description(
      "Folder for the probe rows (part-*.parquet, then _SUCCESS): a path, hdfs://... or"
          + " s3a://...; on a cluster every worker must reach it.")
  @Validation.Required
  String getOutput();

  void setOutput(String output);

  @Description(
      "Folder for rows with a null key or sort value (default: <output>-rejects beside --output).")
  String getRejectsOutput();

  void setRejectsOutput(String rejectsOutput);

  @Description("Column whose value makes one probe row (a string, binary or integer column).")
  @Default.String("src_addr")
  String getKeyColumn();

  void setKeyColumn(String keyColumn);

  @Description(
      "Column the events of a row are ordered by, ascending; ties keep input order (files by"
          + " name, then row). An integer, decimal, date, time or timestamp column.")
  @Default.String("event_time")
  String getSortColumn();

  void setSortColumn(String sortColumn);

  @Description(
      "Columns kept inside 'events', comma-separated; only these (and the key and sort columns)"
          + " are read. Empty: every column but the key.")
  @Default.InstanceFactory(EmptyList.class)
  List<String> getColumns();

  void setColumns(List<String> columns);

  @Description(
      "Expect each file's consecutive rows of a key to be in time order (files sorted by key"
          + " and time) and ship such runs instead of single events; a row group whose key range"
          + " (footer statistics) no other reaches into writes its inner keys itself: faster, same"
          + " output. Checked row by row: where the order breaks, runs are merged or sorted, and"
          + " the run reports how many rows went back in time. false: sort every event.")
  @Default.Boolean(true)
  boolean getAssumeOrdered();

  void setAssumeOrdered(boolean assumeOrdered);

  @Description(
      "Memory in MB of each external sorter before it spills to --spillDirectory; one sorter"
          + " runs per parallel worker, and holds up to twice this while it spills. 1 to "
          + OptionRange.MAX_SORT_MEMORY_MB
          + ", and with workers in this JVM at most the heap's half shared among them; 0: an"
          + " eighth of the heap per worker (at most 256) when embedded, 128 on a cluster.")
  @Default.Integer(0)
  int getSortMemoryMb();

  void setSortMemoryMb(int sortMemoryMb);

  @Description(
      "External sort implementation of Beam's sorter extension once memory is full: HADOOP"
          + " (SequenceFile merge sort) or NATIVE (pure Java).")
  @Default.Enum("NATIVE")
  SorterType getSorterType();

  void setSorterType(SorterType sorterType);

  @Description(
      "Folder on each worker's local disk for the sort's spill files; never shared storage."
          + " Default: the system temp folder.")
  @Default.InstanceFactory(SystemTempDirectory.class)
  String getSpillDirectory();

  void setSpillDirectory(String spillDirectory);

  @Description(
      "Files of merged keys (part-SSSSS-of-NNNNN.parquet); a key's file is hash(key) mod N. 1"
          + " to "
          + OptionRange.MAX_NUM_SHARDS
          + "; 0: four per parallel worker. With --assumeOrdered, row groups that hold keys alone"
          + " add a file each.")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int numShards);

  @Description(
      "Split longer timelines into consecutive rows (chunk 0, 1, ...) of at most this many"
          + " events: 1 or more; 0: never split.")
  @Default.Long(0)
  long getMaxEventsPerRow();

  void setMaxEventsPerRow(long maxEventsPerRow);

  @Description(
      "Replace an earlier probe-rows output in --output and its rejects folder (their part files"
          + " and _SUCCESS only), or take over the output from a run that ended without"
          + " cleaning up.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean overwrite);

  @Description("Show the logs of Beam, Flink and Hadoop, and stack traces of errors.")
  @Default.Boolean(false)
  boolean getVerbose();

  void setVerbose(boolean verbose);

  /** An empty list: all columns. */
  class EmptyList implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of();
    }
  }

  /** java.io.tmpdir, which honours -Djava.io.tmpdir in JAVA_OPTS. */
  class SystemTempDirectory implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return System.getProperty("java.io.tmpdir");
    }
  }
}
