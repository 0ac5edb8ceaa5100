package dev.probe.rows.transforms;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.schema.MessageType;

/**
 * Reads only the key and sort columns of a file, row by row in file order, and hands each row's key
 * and sort value to a {@link RowVisitor} in the encodings {@code run} uses (see {@link
 * RowEncoder}): equal keys have equal bytes, and unsigned byte order of sort values is value order.
 * For reports on the input, such as whether it is already in time order per key.
 *
 * <p>Values go straight from the column readers to a {@link RowEncoder} ({@link FlatColumns}).
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
    ByteSink key = new ByteSink(64);
    ByteSink sortValue = new ByteSink(16);
    long uncompressedBytes = 0;
    try (ParquetFileReader reader = ParquetFiles.open(path, sizeBytes)) {
      RowEncoder encoder =
          new RowEncoder(keyAndSort, reader.getFooter().getFileMetaData().getSchema());
      MessageType requested = encoder.fileColumns();
      reader.setRequestedSchema(requested);
      String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        uncompressedBytes += block.getTotalByteSize();
      }
      PageReadStore pages;
      int rowGroup = 0;
      while ((pages = ParquetFiles.readRowGroup(reader, path, sizeBytes, requested, rowGroup++))
          != null) {
        FlatColumns columns =
            new FlatColumns(pages, createdBy, encoder.getRootConverter(), requested, keyAndSort);
        for (long i = 0; i < pages.getRowCount(); i++) {
          columns.startRow();
          key.reset();
          byte[] keyBytes = encoder.writeKey(key) ? key.toByteArray() : null;
          byte[] sortBytes = null;
          if (encoder.hasSortValue()) {
            sortValue.reset();
            encoder.writeSortValue(sortValue);
            sortBytes = sortValue.toByteArray();
          }
          visitor.row(keyBytes, sortBytes);
          columns.endRow();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw ParquetFiles.readFailure(path, e);
    }
    return uncompressedBytes;
  }
}
