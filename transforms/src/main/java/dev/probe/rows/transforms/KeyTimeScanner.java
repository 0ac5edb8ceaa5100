package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Reads only the key and sort columns of a file, row by row in file order, and hands each row's key
 * and sort value to a {@link RowVisitor} in the encodings {@code run} uses (see {@link
 * ProbeRowSchema}): equal keys have equal bytes, and unsigned byte order of sort values is value
 * order. For reports on the input, such as whether it is already in time order per key.
 *
 * <p>Values come straight from column readers rather than through Parquet's record assembly, which
 * would cost most of the time for two flat columns.
 */
public final class KeyTimeScanner {
  /** Receives the rows of a file in order. */
  public interface RowVisitor {
    /**
     * One row; {@code key} or {@code sortValue} is null when the column is. The arrays are fresh
     * for every row, so the visitor may keep them.
     */
    void row(byte[] key, byte[] sortValue);
  }

  // A schema of the key and sort columns only: its encoders then read a two-field record.
  private final ProbeRowSchema keyAndSort;

  private KeyTimeScanner(ProbeRowSchema keyAndSort) {
    this.keyAndSort = keyAndSort;
  }

  /**
   * @param fileSchema the files' common schema, see {@link InputPlan#schema()}
   * @throws InvalidInputException as {@code run} would, when a column is missing or unusable
   */
  public static KeyTimeScanner of(MessageType fileSchema, String keyColumn, String sortColumn) {
    return new KeyTimeScanner(
        ProbeRowSchema.of(fileSchema, keyColumn, sortColumn, List.of(sortColumn)));
  }

  /**
   * Visits every row of the file.
   *
   * @return the uncompressed size in bytes of the file's row groups, all columns, as its footer
   *     records it
   * @throws InvalidInputException when the file cannot be read
   */
  public long scanFile(String path, long sizeBytes, RowVisitor visitor) {
    MessageType read = keyAndSort.readSchema();
    ByteSink key = new ByteSink(64);
    ByteSink sortValue = new ByteSink(16);
    long uncompressedBytes = 0;
    try (ParquetFileReader reader =
        ParquetFileReader.open(ParquetFiles.inputFile(path, sizeBytes))) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      // The file's own types, so each file's nullability is honoured.
      MessageType requested =
          new MessageType(
              fileSchema.getName(),
              fileSchema.getType(keyAndSort.keyColumn()),
              fileSchema.getType(keyAndSort.sortColumn()));
      reader.setRequestedSchema(requested);
      String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        uncompressedBytes += block.getTotalByteSize();
      }
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        ColumnReadStore columns =
            new ColumnReadStoreImpl(
                pages,
                new GroupRecordConverter(requested).getRootConverter(),
                requested,
                createdBy);
        CurrentRow row = new CurrentRow(read, columns, requested);
        for (long i = 0; i < pages.getRowCount(); i++, row.next()) {
          key.reset();
          byte[] keyBytes = keyAndSort.writeKey(row, key) ? key.toByteArray() : null;
          byte[] sortBytes = null;
          if (keyAndSort.hasSortValue(row)) {
            sortValue.reset();
            keyAndSort.writeSortValue(row, sortValue);
            sortBytes = sortValue.toByteArray();
          }
          visitor.row(keyBytes, sortBytes);
        }
      }
    } catch (IOException | ParquetDecodingException e) {
      if (StorageException.causedByStore(e)) {
        throw new StorageException("cannot read " + path, e);
      }
      throw new InvalidInputException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return uncompressedBytes;
  }

  /**
   * The column readers' current row, seen as a record of the read schema so that {@link
   * ProbeRowSchema}'s encoders apply. One object per row group: building a record per row costs
   * more than reading it.
   */
  private static final class CurrentRow extends SimpleGroup {
    private final ColumnReader[] readers;
    private final int[] presentLevels;

    CurrentRow(MessageType read, ColumnReadStore columns, MessageType fileColumns) {
      super(read);
      readers = new ColumnReader[read.getFieldCount()];
      presentLevels = new int[read.getFieldCount()];
      for (int field = 0; field < readers.length; field++) {
        ColumnDescriptor column =
            fileColumns.getColumnDescription(new String[] {read.getFieldName(field)});
        readers[field] = columns.getColumnReader(column);
        presentLevels[field] = column.getMaxDefinitionLevel();
      }
    }

    void next() {
      for (ColumnReader reader : readers) {
        reader.consume();
      }
    }

    @Override
    public int getFieldRepetitionCount(int field) {
      return readers[field].getCurrentDefinitionLevel() == presentLevels[field] ? 1 : 0;
    }

    @Override
    public int getInteger(int field, int index) {
      return readers[field].getInteger();
    }

    @Override
    public long getLong(int field, int index) {
      return readers[field].getLong();
    }

    @Override
    public Binary getBinary(int field, int index) {
      return readers[field].getBinary();
    }

    @Override
    public Binary getInt96(int field, int index) {
      return readers[field].getBinary();
    }
  }
}
