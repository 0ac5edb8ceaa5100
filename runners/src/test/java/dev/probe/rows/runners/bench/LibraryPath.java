package dev.probe.rows.runners.bench;

import dev.probe.rows.GroupIntoProbeRows;
import dev.probe.rows.InputPlan;
import dev.probe.rows.OutputDirectory;
import dev.probe.rows.ParquetProbeRows;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.ProbeRowSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * What the Parquet-specific composite saves over the generic transform behind Beam's own IO, on
 * one input: {@code library} is {@code ParquetIO.read → GroupIntoProbeRows → ParquetIO.sink},
 * {@code parquet} is {@link ParquetProbeRows}, both on embedded Flink with the same workers, sort
 * memory and shard count. {@code bench/library-path-cost.sh} times the JVMs and alternates them.
 *
 * <p>Usage: {@code LibraryPath library|parquet FIRST_INPUT_FILE INPUT_GLOB OUTPUT_DIR SPILL_DIR
 * PARALLELISM KEY SORT}; or {@code LibraryPath prepare EVENTS_GLOB OUTPUT_DIR SORT}, which copies
 * events with the sort column as INT64 microseconds: Beam's Avro schemas refuse local timestamps,
 * which {@code probe-rows generate} writes, and Avro's conversions are not what is measured here.
 */
public final class LibraryPath {
  private static final int SHARDS = 4;
  private static final int SORT_MEMORY_MB = 256;

  private LibraryPath() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("prepare")) {
      prepare(args[1], args[2], args[3]);
      return;
    }
    String path = args[0];
    Path firstFile = Path.of(args[1]);
    String glob = args[2];
    String out = args[3];
    String spill = args[4];
    String parallelism = args[5];
    String key = args[6];
    String sort = args[7];
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--parallelism=" + parallelism)
            .create();
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline pipeline = Pipeline.create(options);
    BufferedExternalSorter.Options sorter =
        BufferedExternalSorter.options().withMemoryMB(SORT_MEMORY_MB).withTempLocation(spill);
    if (path.equals("library")) {
      Schema avroSchema;
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(firstFile))) {
        avroSchema =
            new AvroSchemaConverter().convert(reader.getFooter().getFileMetaData().getSchema());
      }
      PCollection<Row> probeRows =
          pipeline
              .apply(ParquetIO.read(avroSchema).from(glob).withBeamSchemas(true))
              .apply(
                  GroupIntoProbeRows.of(key, sort).withSorter(sorter).withNumShards(SHARDS));
      Schema probeRowAvro = AvroUtils.toAvroSchema(probeRows.getSchema());
      probeRows
          .apply(
              MapElements.into(TypeDescriptor.of(GenericRecord.class))
                  .via(AvroUtils.getRowToGenericRecordFunction(probeRowAvro)))
          .setCoder(AvroCoder.of(probeRowAvro))
          .apply(
              FileIO.<GenericRecord>write()
                  .via(ParquetIO.sink(probeRowAvro))
                  .to(out)
                  .withSuffix(".parquet")
                  .withNumShards(SHARDS));
    } else if (path.equals("parquet")) {
      InputPlan plan = InputPlan.of(glob);
      pipeline.apply(
          ParquetProbeRows.from(
              plan,
              ProbeRowSettings.of(
                      ProbeRowSchema.of(plan.schema(), key, sort, List.of()),
                      OutputDirectory.at(out))
                  .withNumShards(SHARDS)
                  .withSorter(sorter)));
    } else {
      throw new IllegalArgumentException("library or parquet, not " + path);
    }
    pipeline.run().waitUntilFinish();
  }

  private static void prepare(String eventsGlob, String outputDir, String sort) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = db.createStatement()) {
      statement.execute(
          "COPY (SELECT * REPLACE (epoch_us("
              + sort
              + ") AS "
              + sort
              + ") FROM read_parquet("
              + Benchmark.sqlString(eventsGlob)
              + ")) TO "
              + Benchmark.sqlString(outputDir)
              + " (FORMAT PARQUET, PER_THREAD_OUTPUT true)");
    }
  }
}
