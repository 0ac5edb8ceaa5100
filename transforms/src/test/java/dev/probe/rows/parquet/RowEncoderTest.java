package dev.probe.rows.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.InputPlan;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.diagnose.KeyTimeScanner;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows encoded as parquet-mr's record assembly reads them are byte for byte the encoding of the
 * assembled records, which parquet-mr's example {@link Group} API gives independently: over every
 * physical type, every repetition, nested groups, nulls, dictionary and plain pages, and columns
 * required in one file but optional in another.
 */
class RowEncoderTest {
  private static final String KEY = "src_addr";
  private static final String SORT = "event_time";

  /** Required in {@code required.parquet}, optional elsewhere: read as optional. */
  private static final String OPTIONAL_SCHEMA =
      "message event {"
          + "  optional binary src_addr (STRING);"
          + "  optional int64 event_time (TIMESTAMP(MICROS,true));"
          + "  optional int32 port;"
          + "  optional binary payload;"
          + "  required int64 bytes_sent;"
          + "  required binary protocol (STRING);"
          + "  repeated int32 flags;"
          + "  optional boolean ok;"
          + "  optional float ratio;"
          + "  optional double score;"
          + "  optional int96 legacy_time;"
          + "  optional fixed_len_byte_array(6) mac;"
          + "  repeated binary tags (STRING);"
          + "  optional group detail {"
          + "    required int32 code;"
          + "    optional binary note (STRING);"
          + "    repeated group hops { optional int64 at; required binary via (STRING); }"
          + "    repeated double weights;"
          + "  }"
          + "  optional group labels (LIST) {"
          + "    repeated group list { optional binary element (STRING); }"
          + "  }"
          + "}";

  /**
   * Columns of few distinct values, which stay dictionary-encoded. The others have few in stretches
   * of rows too, so that their column chunks start with dictionary pages, then outgrow the
   * dictionary and go on with plain pages.
   */
  private static final Set<String> FEW_VALUES =
      Set.of(KEY, "port", "protocol", "score", "mac", "tags", "note", "via", "element");

  @TempDir static Path temp;
  private static InputPlan plan;
  private static ProbeRowSchema schema;

  @BeforeAll
  static void writeFiles() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    MessageType optional = MessageTypeParser.parseMessageType(OPTIONAL_SCHEMA);
    MessageType required =
        MessageTypeParser.parseMessageType(
            OPTIONAL_SCHEMA
                .replace("optional binary src_addr", "required binary src_addr")
                .replace("optional int32 port", "required int32 port"));
    write("dictionary.parquet", optional, WriterVersion.PARQUET_1_0, true, 1);
    write("required.parquet", required, WriterVersion.PARQUET_2_0, true, 2);
    write("plain.parquet", optional, WriterVersion.PARQUET_1_0, false, 3);
    plan = InputPlan.of(temp.resolve("*.parquet").toString());
    schema = ProbeRowSchema.of(plan.schema(), KEY, SORT, List.of());
  }

  private static void write(
      String name, MessageType type, WriterVersion version, boolean dictionary, long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(temp.resolve(name)))
            .withType(type)
            .withWriterVersion(version)
            .withDictionaryEncoding(dictionary)
            // Small pages, dictionaries and row groups: many of each, and dictionaries that fill
            // up, after which a column chunk goes on with plain pages.
            .withDictionaryPageSize(512)
            .withPageSize(1024)
            .withPageRowCountLimit(50)
            .withRowGroupSize(16 * 1024L)
            .build()) {
      for (int row = 0; row < 700; row++) {
        Group record = groups.newGroup();
        fill(record, type, random, row % 200 < 100);
        writer.write(record);
      }
    }
  }

  private static void fill(
      Group group, GroupType type, SplittableRandom random, boolean fewValuesEverywhere) {
    for (int field = 0; field < type.getFieldCount(); field++) {
      Type fieldType = type.getType(field);
      int count;
      switch (fieldType.getRepetition()) {
        case REQUIRED:
          count = 1;
          break;
        case OPTIONAL:
          count = random.nextInt(5) == 0 ? 0 : 1;
          break;
        default:
          count = random.nextInt(4);
          break;
      }
      for (int i = 0; i < count; i++) {
        if (fieldType.isPrimitive()) {
          boolean fewValues = fewValuesEverywhere || FEW_VALUES.contains(fieldType.getName());
          long seed = fewValues ? random.nextInt(6) : random.nextLong();
          addValue(group, field, fieldType.asPrimitiveType(), seed);
        } else {
          fill(group.addGroup(field), fieldType.asGroupType(), random, fewValuesEverywhere);
        }
      }
    }
  }

  private static void addValue(Group group, int field, PrimitiveType type, long seed) {
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        group.add(field, (seed & 1) == 0);
        break;
      case INT32:
        group.add(field, (int) seed);
        break;
      case INT64:
        group.add(field, seed);
        break;
      case FLOAT:
        group.add(field, seed / 7f);
        break;
      case DOUBLE:
        group.add(field, seed / 3.0);
        break;
      case INT96:
      case FIXED_LEN_BYTE_ARRAY:
        int length = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96 ? 12 : 6;
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
          bytes[i] = (byte) (seed >>> (8 * (i % 8)) ^ i);
        }
        group.add(field, Binary.fromConstantByteArray(bytes));
        break;
      default:
        // Empty, short and longer values, with a zero byte that event keys escape.
        String text = seed % 5 == 0 ? "" : "v\0" + Long.toString(seed, 36).repeat((int) (seed & 3));
        group.add(field, Binary.fromString(text));
        break;
    }
  }

  @Test
  void theFilesHaveRowGroupsOfDictionaryAndPlainPages() throws IOException {
    boolean mixedChunk = false;
    boolean plainOnlyChunk = false;
    for (String name : List.of("dictionary.parquet", "required.parquet", "plain.parquet")) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(new LocalInputFile(temp.resolve(name)))) {
        assertTrue(reader.getFooter().getBlocks().size() > 1, name + " has one row group");
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData column : block.getColumns()) {
            mixedChunk |=
                column.getEncodingStats().hasDictionaryEncodedPages()
                    && column.getEncodingStats().hasNonDictionaryEncodedPages();
            plainOnlyChunk |= !column.getEncodingStats().hasDictionaryEncodedPages();
          }
        }
      }
    }
    assertTrue(mixedChunk, "no column chunk has dictionary and plain pages");
    assertTrue(plainOnlyChunk, "no column chunk has plain pages only");
  }

  @Test
  void sliceReaderEncodesRowsAsTheirAssembledRecords() {
    SliceReader reader = new SliceReader(schema);
    int events = 0;
    int rejected = 0;
    for (FileSlice slice : plan.slices()) {
      List<Expected> expected = expected(slice);
      List<Read> actual = new ArrayList<>();
      reader.read(
          slice,
          row -> {
            Read read = new Read();
            read.eventKey = row.eventKey().toByteArray();
            read.keyEnd = row.keyEnd();
            read.event = row.event().toByteArray();
            actual.add(read);
          },
          (columns, rowInFile, reason) -> {
            Read read = new Read();
            read.columns = columns;
            read.rowInFile = rowInFile;
            read.rejectReason = reason;
            actual.add(read);
          });
      assertEquals(expected.size(), actual.size(), slice.toString());
      for (int i = 0; i < expected.size(); i++) {
        Expected row = expected.get(i);
        Read read = actual.get(i);
        long rowInFile = slice.firstRow() + i;
        String where = slice + " row " + rowInFile;
        assertEquals(row.rejectReason, read.rejectReason, where);
        if (row.rejectReason == null) {
          ByteSink eventKey = new ByteSink(64);
          int keyEnd = EventKeys.appendKey(eventKey, row.key, 0, row.key.length);
          eventKey.writeBytes(row.sortValue);
          eventKey.writeInt(slice.fileIndex());
          eventKey.writeLong(rowInFile);
          assertArrayEquals(eventKey.toByteArray(), read.eventKey, where + " event key");
          assertEquals(keyEnd, read.keyEnd, where + " key end");
          assertArrayEquals(row.event, read.event, where + " event");
          events++;
        } else {
          assertArrayEquals(row.columns, read.columns, where + " columns");
          assertEquals(rowInFile, read.rowInFile, where);
          rejected++;
        }
      }
      assertEquals(
          expected.stream().filter(row -> RejectedRow.NULL_KEY.equals(row.rejectReason)).count(),
          reader.nullKeys());
      assertEquals(
          expected.stream().filter(row -> RejectedRow.NULL_SORT.equals(row.rejectReason)).count(),
          reader.nullSorts());
    }
    assertTrue(events > 1000 && rejected > 100, events + " events, " + rejected + " rejected");
  }

  @Test
  void keyTimeScannerSeesTheKeysAndSortValuesOfTheAssembledRecords() {
    List<Expected> expected =
        plan.slices().stream()
            .flatMap(slice -> expected(slice).stream())
            .collect(Collectors.toList());
    List<FileSlice> slices = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> sortValues = new ArrayList<>();
    List<String> rejects = new ArrayList<>();
    KeyTimeScanner.of(plan, KEY, SORT)
        .scan(
            3,
            16,
            new KeyTimeScanner.RowVisitor() {
              @Override
              public void rowGroup(FileSlice slice, long uncompressedBytes) {
                slices.add(slice);
              }

              @Override
              public void event(byte[] key, byte[] sortValue) {
                keys.add(key);
                sortValues.add(sortValue);
                rejects.add(null);
              }

              @Override
              public void rejected(boolean nullKey) {
                keys.add(null);
                sortValues.add(null);
                rejects.add(nullKey ? RejectedRow.NULL_KEY : RejectedRow.NULL_SORT);
              }
            });
    assertEquals(plan.slices().size(), slices.size());
    assertEquals(expected.size(), keys.size());
    for (int i = 0; i < expected.size(); i++) {
      Expected row = expected.get(i);
      assertEquals(row.rejectReason, rejects.get(i), "row " + i);
      if (row.rejectReason == null) {
        assertArrayEquals(row.key, keys.get(i), "row " + i);
        assertArrayEquals(row.sortValue, sortValues.get(i), "row " + i);
      }
    }
  }

  /** What one row must become, from its record as parquet-mr's example Group API assembles it. */
  private static final class Expected {
    byte[] key;
    byte[] sortValue;
    byte[] event;
    byte[] columns;
    String rejectReason;
  }

  /** What the slice reader handed over for one row. */
  private static final class Read {
    byte[] eventKey;
    int keyEnd;
    byte[] event;
    byte[] columns;
    long rowInFile;
    String rejectReason;
  }

  private static List<Expected> expected(FileSlice slice) {
    MessageType read = schema.readSchema();
    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(Path.of(slice.path())))) {
      // Every column, as the schema selects them all: field indexes are the read schema's.
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      for (int i = 0; i < slice.rowGroup(); i++) {
        reader.skipNextRowGroup();
      }
      PageReadStore pages = reader.readNextRowGroup();
      RecordReader<Group> records =
          new ColumnIOFactory()
              .getColumnIO(fileSchema)
              .getRecordReader(pages, new GroupRecordConverter(fileSchema));
      List<Expected> rows = new ArrayList<>();
      for (long i = 0; i < pages.getRowCount(); i++) {
        Group record = records.read();
        Expected row = new Expected();
        int key = read.getFieldIndex(KEY);
        int sort = read.getFieldIndex(SORT);
        if (record.getFieldRepetitionCount(key) != 0) {
          row.key = record.getBinary(key, 0).getBytes();
        }
        if (record.getFieldRepetitionCount(sort) != 0) {
          ByteSink sortValue = new ByteSink(8);
          sortValue.writeLong(record.getLong(sort, 0) ^ Long.MIN_VALUE);
          row.sortValue = sortValue.toByteArray();
        }
        ByteSink columns = new ByteSink(256);
        ByteSink event = new ByteSink(256);
        for (int field = 0; field < read.getFieldCount(); field++) {
          encodeField(read.getType(field), record, field, columns);
          if (field != key) {
            encodeField(read.getType(field), record, field, event);
          }
        }
        row.columns = columns.toByteArray();
        row.event = event.toByteArray();
        row.rejectReason =
            row.key == null
                ? RejectedRow.NULL_KEY
                : row.sortValue == null ? RejectedRow.NULL_SORT : null;
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // The encoding of EventCodec's javadoc, from an assembled record: the shuffle's encoding before
  // rows were encoded during assembly.

  private static void encodeField(Type type, Group group, int index, ByteSink out) {
    int count = group.getFieldRepetitionCount(index);
    switch (type.getRepetition()) {
      case REQUIRED:
        assertEquals(1, count, type.getName());
        encodeValue(type, group, index, 0, out);
        break;
      case OPTIONAL:
        out.writeByte(count == 0 ? 0 : 1);
        if (count != 0) {
          encodeValue(type, group, index, 0, out);
        }
        break;
      default:
        out.writeVarInt(count);
        for (int i = 0; i < count; i++) {
          encodeValue(type, group, index, i, out);
        }
        break;
    }
  }

  private static void encodeValue(Type type, Group group, int index, int position, ByteSink out) {
    if (!type.isPrimitive()) {
      GroupType groupType = type.asGroupType();
      Group child = group.getGroup(index, position);
      for (int i = 0; i < groupType.getFieldCount(); i++) {
        encodeField(groupType.getType(i), child, i, out);
      }
      return;
    }
    switch (type.asPrimitiveType().getPrimitiveTypeName()) {
      case BOOLEAN:
        out.writeByte(group.getBoolean(index, position) ? 1 : 0);
        break;
      case INT32:
        out.writeInt(group.getInteger(index, position));
        break;
      case INT64:
        out.writeLong(group.getLong(index, position));
        break;
      case FLOAT:
        out.writeInt(Float.floatToRawIntBits(group.getFloat(index, position)));
        break;
      case DOUBLE:
        out.writeLong(Double.doubleToRawLongBits(group.getDouble(index, position)));
        break;
      case INT96:
        out.writeBytes(group.getInt96(index, position).getBytes());
        break;
      case FIXED_LEN_BYTE_ARRAY:
        out.writeBytes(group.getBinary(index, position).getBytes());
        break;
      default:
        byte[] bytes = group.getBinary(index, position).getBytes();
        out.writeVarInt(bytes.length);
        out.writeBytes(bytes);
        break;
    }
  }
}
