package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads row groups into events keyed by shard, each a {@code KV<eventKey, event>} in shuffle form
 * (see {@link EventKeys} and {@link EventCodec}). Rows whose key or sort value is null cannot be
 * placed in a timeline: they are counted ({@link #REJECTED_NULL_KEY}, {@link #REJECTED_NULL_SORT})
 * and left out.
 */
public final class ReadEvents
    extends PTransform<PCollection<FileSlice>, PCollection<KV<Integer, KV<byte[], byte[]>>>> {
  private static final long serialVersionUID = 1L;

  public static final String METRICS_NAMESPACE = "probe-rows";
  public static final String ROWS_READ = "rowsRead";
  public static final String REJECTED_NULL_KEY = "rejectedNullKey";
  public static final String REJECTED_NULL_SORT = "rejectedNullSort";

  /** The coder of {@code KV<shard, KV<eventKey, event>>}; byte arrays shuffle cheaply. */
  public static final Coder<KV<Integer, KV<byte[], byte[]>>> CODER =
      KvCoder.of(VarIntCoder.of(), KvCoder.of(ByteArrayCoder.of(), ByteArrayCoder.of()));

  private final ProbeRowSchema schema;
  private final int numShards;

  private ReadEvents(ProbeRowSchema schema, int numShards) {
    this.schema = schema;
    this.numShards = numShards;
  }

  public static ReadEvents of(ProbeRowSchema schema, int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new ReadEvents(schema, numShards);
  }

  @Override
  public PCollection<KV<Integer, KV<byte[], byte[]>>> expand(PCollection<FileSlice> slices) {
    return slices.apply(ParDo.of(new ReadSliceFn(schema, numShards))).setCoder(CODER);
  }

  private static final class ReadSliceFn extends DoFn<FileSlice, KV<Integer, KV<byte[], byte[]>>> {
    private static final long serialVersionUID = 1L;

    private final ProbeRowSchema schema;
    private final int numShards;
    private final Counter rowsRead = Metrics.counter(METRICS_NAMESPACE, ROWS_READ);
    private final Counter rejectedNullKey = Metrics.counter(METRICS_NAMESPACE, REJECTED_NULL_KEY);
    private final Counter rejectedNullSort = Metrics.counter(METRICS_NAMESPACE, REJECTED_NULL_SORT);
    private transient ByteSink eventKey;
    private transient ByteSink event;

    ReadSliceFn(ProbeRowSchema schema, int numShards) {
      this.schema = schema;
      this.numShards = numShards;
    }

    @Setup
    public void setup() {
      eventKey = new ByteSink(64);
      event = new ByteSink(256);
    }

    @ProcessElement
    public void process(
        @Element FileSlice slice, OutputReceiver<KV<Integer, KV<byte[], byte[]>>> out) {
      long nullKeys = 0;
      long nullSorts = 0;
      try (ParquetFileReader reader =
          ParquetFileReader.open(ParquetFiles.inputFile(slice.path(), slice.fileSize()))) {
        MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
        MessageType requested = project(fileSchema, schema.readSchema());
        reader.setRequestedSchema(requested);
        for (int i = 0; i < slice.rowGroup(); i++) {
          reader.skipNextRowGroup();
        }
        PageReadStore pages = reader.readNextRowGroup();
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(requested, fileSchema)
                .getRecordReader(pages, new GroupRecordConverter(requested));
        long row = slice.firstRow();
        for (long i = 0; i < pages.getRowCount(); i++, row++) {
          Group record = records.read();
          eventKey.reset();
          eventKey.writeInt(0);
          if (!schema.writeKey(record, eventKey)) {
            nullKeys++;
            continue;
          }
          if (!schema.hasSortValue(record)) {
            nullSorts++;
            continue;
          }
          eventKey.setInt(0, eventKey.size() - EventKeys.keyOffset());
          schema.writeSortValue(record, eventKey);
          eventKey.writeInt(slice.fileIndex());
          eventKey.writeLong(row);
          event.reset();
          schema.writeEvent(record, event);
          byte[] key = eventKey.toByteArray();
          out.output(KV.of(EventKeys.shardOf(key, numShards), KV.of(key, event.toByteArray())));
        }
      } catch (IOException | ParquetDecodingException e) {
        throw new InvalidInputException(
            "cannot read " + slice + ": " + e.getMessage(), e);
      }
      rowsRead.inc(slice.rowCount());
      rejectedNullKey.inc(nullKeys);
      rejectedNullSort.inc(nullSorts);
    }

    /** The file's own types for the columns to read, so nullability follows each file. */
    private static MessageType project(MessageType fileSchema, MessageType readSchema) {
      List<Type> fields =
          fileSchema.getFields().stream()
              .filter(field -> readSchema.containsField(field.getName()))
              .collect(Collectors.toList());
      return new MessageType(fileSchema.getName(), fields);
    }
  }
}
