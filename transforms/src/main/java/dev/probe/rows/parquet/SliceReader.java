package dev.probe.rows.parquet;

import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.io.IOException;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Reads one row group and turns each placeable row into its shuffle form: an event key (see {@link
 * EventKeys}) and the encoded event, or writes its event straight into a probe row ({@link
 * #writeEventElement}). Rows whose key or sort value is null are counted. The buffers are reused
 * from row to row: a receiver copies what it keeps.
 *
 * <p>For the self-check, it counts the placeable rows and sums their {@link EventDigest}s, computed
 * from every value as read, whatever the receiver then does with the row.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class SliceReader {
  /** Receives each placeable row of a slice, in file order. */
  public interface Events {
    /** See {@link #eventKey}, {@link #event} and {@link #rowInSlice}. */
    void event(SliceReader row);
  }

  /** Receives each row of a slice that cannot be placed, in file order. */
  public interface Rejects {
    /**
     * A row whose key or sort value is null; {@code reason} is a {@link RejectedRow} reason. {@code
     * columns} are the row's columns as {@link RowEncoder#writeRow} encodes them, for the receiver
     * to keep.
     */
    void rejected(byte[] columns, long rowInFile, String reason);
  }

  private final ProbeRowSchema schema;
  private final ByteSink rawKey = new ByteSink(64);
  private final ByteSink eventKey = new ByteSink(64);
  private final ByteSink event = new ByteSink(256);
  private RowEncoder encoder;
  // The current row group's columns when they are flat, else null: its rows are assembled.
  private FlatColumns flat;
  private boolean eventEncoded;
  private int keyEnd;
  private int rowInSlice;
  private FileSlice slice;
  private KeyWindow window;
  private boolean takesNullKeys;
  private Rejects rejects;
  private ParquetFileReader file;
  private RecordReader<RowEncoder> records;
  private long rows;
  private long nextRow;
  // Whether the current row is an event handed out, and whether its columns are still open.
  private boolean onEvent;
  private boolean rowStarted;
  private long nullKeys;
  private long nullSorts;
  private long eventCount;
  private long digest;

  public SliceReader(ProbeRowSchema schema) {
    this.schema = schema;
  }

  /** The current row's event key. */
  public ByteSink eventKey() {
    return eventKey;
  }

  /** Offset in {@link #eventKey} just past the key bytes, where the sort value starts. */
  public int keyEnd() {
    return keyEnd;
  }

  /** The current row's index in its slice, counting rejected rows too. */
  public int rowInSlice() {
    return rowInSlice;
  }

  public long nullKeys() {
    return nullKeys;
  }

  public long nullSorts() {
    return nullSorts;
  }

  /** The placeable rows of the last slice read: its events. */
  public long events() {
    return eventCount;
  }

  /** The sum of the {@link EventDigest}s of the last slice's events, as read. */
  public long digest() {
    return digest;
  }

  /** The current row's encoded event, encoded when first asked for. */
  public ByteSink event() {
    if (!eventEncoded) {
      if (flat != null) {
        flat.encodeOthers();
      }
      event.reset();
      encoder.writeEvent(event);
      eventEncoded = true;
    }
    return event;
  }

  /**
   * Writes the current row's event as the group of an element of a probe row's {@code events}. Flat
   * columns' values go straight from the column readers to {@code consumer}, neither assembled nor
   * encoded.
   */
  void writeEventElement(RecordConsumer consumer) {
    if (flat != null) {
      flat.copyEvent(consumer);
    } else {
      schema.writeEventElement(consumer, event().array());
    }
  }

  /** Reads the whole slice, every row to one of the two receivers. */
  public void read(FileSlice slice, Events events, Rejects rejects) {
    read(slice, KeyWindow.whole(slice), events, rejects);
  }

  /**
   * Reads the slice's rows whose keys are in {@code window}: those become events or rejects, the
   * others are passed over, neither counted nor handed on. Where the window merges, every key read
   * is checked against the slice's range: a window reads only the row groups whose statistics
   * overlap it, so a row outside its row group's range would be read by no window.
   */
  public void read(FileSlice slice, KeyWindow window, Events events, Rejects rejects) {
    open(slice, window, rejects);
    try {
      while (next()) {
        events.event(this);
      }
    } catch (RuntimeException e) {
      // The receiver decodes values too, straight from the column readers.
      throw ParquetFiles.readFailure(slice.toString(), e);
    } finally {
      close();
    }
  }

  /**
   * Opens the slice for {@link #next}, which steps through its rows in {@code window}; rejected
   * rows go to {@code rejects} as they are passed.
   */
  void open(FileSlice slice, KeyWindow window, Rejects rejects) {
    nullKeys = 0;
    nullSorts = 0;
    eventCount = 0;
    digest = 0;
    this.slice = slice;
    this.window = window;
    this.takesNullKeys = window.takesNullKeysOf(slice);
    this.rejects = rejects;
    try {
      file = ParquetFiles.open(slice.path(), slice.fileSize());
      MessageType fileSchema = file.getFooter().getFileMetaData().getSchema();
      encoder = new RowEncoder(schema, fileSchema);
      MessageType fileColumns = encoder.fileColumns();
      file.setRequestedSchema(fileColumns);
      for (int i = 0; i < slice.rowGroup(); i++) {
        file.skipNextRowGroup();
      }
      PageReadStore pages =
          ParquetFiles.readRowGroup(
              file, slice.path(), slice.fileSize(), fileColumns, slice.rowGroup());
      records = null;
      flat = null;
      if (encoder.flat()) {
        flat =
            new FlatColumns(
                pages,
                file.getFooter().getFileMetaData().getCreatedBy(),
                encoder.getRootConverter(),
                fileColumns,
                schema);
      } else {
        records =
            new ColumnIOFactory()
                .getColumnIO(fileColumns, fileSchema)
                .getRecordReader(pages, encoder);
      }
      rows = pages.getRowCount();
      nextRow = 0;
      onEvent = false;
      rowStarted = false;
    } catch (IOException | RuntimeException e) {
      close();
      throw ParquetFiles.readFailure(slice.toString(), e);
    }
  }

  /**
   * Moves to the slice's next event in the window, first taking the fingerprint of the current
   * one; false at the end.
   */
  boolean next() {
    try {
      finishRow();
      while (nextRow < rows) {
        if (flat != null) {
          flat.startRow();
        } else {
          records.read();
        }
        rowStarted = true;
        eventEncoded = false;
        long i = nextRow++;
        if (readRow(slice.firstRow() + i, (int) i)) {
          onEvent = true;
          return true;
        }
        finishRow();
      }
      return false;
    } catch (IOException | RuntimeException e) {
      throw ParquetFiles.readFailure(slice.toString(), e);
    }
  }

  /** Closes the slice's file; its counts and fingerprint stay for the caller. */
  void close() {
    flat = null;
    records = null;
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        throw ParquetFiles.readFailure(slice.toString(), e);
      } finally {
        file = null;
      }
    }
  }

  /** The slice being read, or last read. */
  FileSlice slice() {
    return slice;
  }

  /**
   * Takes the current event's fingerprint after its receiver, which has decoded the values it
   * took: the fingerprint reads them again from the column readers, where they stay until the row
   * ends, and costs only its hashing.
   */
  private void finishRow() throws IOException {
    if (onEvent) {
      digest +=
          EventDigest.event(
              flat != null ? flat.keyDigest() : encoder.keyDigest(),
              EventDigest.place(eventKey.array(), keyEnd, eventKey.size()),
              flat != null ? flat.eventDigest() : encoder.eventDigest());
      onEvent = false;
    }
    if (rowStarted && flat != null) {
      flat.endRow();
    }
    rowStarted = false;
  }

  /**
   * Places the row whose key and sort value the encoder holds: true if it is an event of the
   * window, with its event key set; a rejected row in the window goes to the receiver.
   */
  private boolean readRow(long row, int rowInSlice) {
    rawKey.reset();
    if (!encoder.writeKey(rawKey)) {
      if (takesNullKeys) {
        nullKeys++;
        rejects.rejected(encodedColumns(), row, RejectedRow.NULL_KEY);
      }
      return false;
    }
    eventKey.reset();
    keyEnd = EventKeys.appendKey(eventKey, rawKey.array(), 0, rawKey.size());
    if (window.merging()) {
      KeyRange.checkMerged(slice, this);
      if (!window.holds(eventKey.array(), keyEnd)) {
        return false;
      }
    }
    if (!encoder.hasSortValue()) {
      nullSorts++;
      rejects.rejected(encodedColumns(), row, RejectedRow.NULL_SORT);
      return false;
    }
    encoder.writeSortValue(eventKey);
    eventKey.writeInt(slice.fileIndex());
    eventKey.writeLong(row);
    this.rowInSlice = rowInSlice;
    eventCount++;
    return true;
  }

  private byte[] encodedColumns() {
    if (flat != null) {
      flat.encodeOthers();
    }
    ByteSink columns = new ByteSink(256);
    encoder.writeRow(columns);
    return columns.toByteArray();
  }
}
