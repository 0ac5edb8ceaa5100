package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputPlanTest {
  @TempDir Path temp;

  @BeforeAll
  static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private Path duckDbFile(String name, String select) throws Exception {
    Path file = temp.resolve(name);
    try (DuckDb duckDb = new DuckDb()) {
      duckDb.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
    }
    return file;
  }

  @Test
  void filesAreListedInNameOrderWithEveryRowGroup() throws Exception {
    duckDbFile("b.parquet", "SELECT 'k' AS src_addr, range AS event_time FROM range(10)");
    duckDbFile("a.parquet", "SELECT 'k' AS src_addr, range AS event_time FROM range(5)");
    InputPlan plan = InputPlan.of(temp.resolve("*.parquet").toString());
    assertEquals(2, plan.fileCount());
    assertEquals(15, plan.rowCount());
    assertTrue(plan.slices().get(0).path().endsWith("a.parquet"));
    assertEquals(0, plan.slices().get(0).fileIndex());
    assertEquals(1, plan.slices().get(1).fileIndex());
  }

  @Test
  void filesDifferingInNullabilityOrIntAnnotationAreCompatible() throws Exception {
    duckDbFile("a.parquet", "SELECT 'k' AS src_addr, 1::BIGINT AS event_time");
    Path required = temp.resolve("b.parquet");
    // DuckDB writes every column optional and annotates BIGINT as INTEGER(64,true); this file
    // has a required key and a plain int64.
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required binary src_addr (STRING); optional int64 event_time; }");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(required)).withType(schema).build()) {
      writer.write(
          new SimpleGroupFactory(schema)
              .newGroup()
              .append("src_addr", "k")
              .append("event_time", 2L));
    }
    InputPlan plan = InputPlan.of(temp.resolve("*.parquet").toString());
    assertEquals(Type.Repetition.OPTIONAL, plan.schema().getType("src_addr").getRepetition());
  }

  @Test
  void conflictingSchemasNameBothFilesAndTheColumn() throws Exception {
    Path a = duckDbFile("a.parquet", "SELECT 'k' AS src_addr, 1::BIGINT AS event_time");
    Path b = duckDbFile("b.parquet", "SELECT 'k' AS src_addr, 1::INTEGER AS event_time");
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class, () -> InputPlan.of(temp.resolve("*.parquet").toString()));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "files have conflicting schemas: "
                    + a
                    + " and "
                    + b
                    + " differ: column event_time"),
        error.getMessage());
  }

  @Test
  void aFileThatIsNotParquetIsNamed() throws Exception {
    Path notParquet = Files.writeString(temp.resolve("broken.parquet"), "this is not parquet");
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class, () -> InputPlan.of(temp.resolve("*.parquet").toString()));
    assertTrue(
        error.getMessage().startsWith("cannot read " + notParquet + " as Parquet"),
        error.getMessage());
  }

  @Test
  void bookkeepingFilesAreNotInput() throws Exception {
    duckDbFile("a.parquet", "SELECT 'k' AS src_addr, 1::BIGINT AS event_time");
    Files.writeString(temp.resolve("_SUCCESS"), "");
    assertEquals(1, InputPlan.of(temp.resolve("*").toString()).fileCount());
  }
}
