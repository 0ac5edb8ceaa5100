package dev.probe.rows;

import dev.probe.rows.parquet.FileSlice;
import dev.probe.rows.parquet.ParquetFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * What a run will read, decided before the pipeline is built: the files matching a glob in name
 * order, their common schema (from the footers, so no schema file is needed) and their row groups
 * as {@link FileSlice}s.
 */
public final class InputPlan {
  /** How many footers are read at once. */
  private static final int FOOTER_READERS = 16;

  private final MessageType schema;
  private final List<FileSlice> slices;
  private final List<BlockMetaData> rowGroups;
  private final int fileCount;
  private final long rowCount;

  private InputPlan(
      MessageType schema,
      List<FileSlice> slices,
      List<BlockMetaData> rowGroups,
      int fileCount,
      long rowCount) {
    this.schema = schema;
    this.slices = slices;
    this.rowGroups = rowGroups;
    this.fileCount = fileCount;
    this.rowCount = rowCount;
  }

  /**
   * Reads the footers of every file matching {@code glob}. Beam's {@link FileSystems} must have
   * been initialised with the pipeline options.
   *
   * @throws InvalidInputException if nothing matches, a file is not Parquet, or schemas conflict
   */
  public static InputPlan of(String glob) {
    List<MatchResult.Metadata> files = match(glob);
    List<ParquetMetadata> footers = readFooters(files);
    MessageType schema = null;
    String schemaSource = null;
    List<FileSlice> slices = new ArrayList<>();
    List<BlockMetaData> rowGroups = new ArrayList<>();
    long rows = 0;
    for (int fileIndex = 0; fileIndex < files.size(); fileIndex++) {
      MatchResult.Metadata file = files.get(fileIndex);
      String path = file.resourceId().toString();
      ParquetMetadata footer = footers.get(fileIndex);
      MessageType fileSchema = footer.getFileMetaData().getSchema();
      if (schema == null) {
        schema = fileSchema;
        schemaSource = path;
      } else {
        schema = union(schema, schemaSource, fileSchema, path);
      }
      long firstRow = 0;
      List<BlockMetaData> blocks = footer.getBlocks();
      for (int rowGroup = 0; rowGroup < blocks.size(); rowGroup++) {
        long count = blocks.get(rowGroup).getRowCount();
        if (count > 0) {
          slices.add(new FileSlice(fileIndex, path, file.sizeBytes(), rowGroup, firstRow, count));
          rowGroups.add(blocks.get(rowGroup));
        }
        firstRow += count;
      }
      rows += firstRow;
    }
    return new InputPlan(schema, List.copyOf(slices), rowGroups, files.size(), rows);
  }

  private static List<MatchResult.Metadata> match(String glob) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    try {
      MatchResult result = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      if (result.status() != MatchResult.Status.NOT_FOUND) {
        // For an ERROR, this throws the store's exception.
        files.addAll(result.metadata());
      }
    } catch (IOException e) {
      throw new StorageException("cannot list " + glob, e);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("cannot list " + glob + ": " + e.getMessage(), e);
    }
    files.removeIf(file -> file.resourceId().isDirectory() || isHidden(file));
    if (files.isEmpty()) {
      throw new NoFilesMatch(glob);
    }
    files.sort(Comparator.comparing(file -> file.resourceId().toString()));
    return files;
  }

  /** Nothing but folders or bookkeeping files, or nothing at all, matches the glob. */
  public static final class NoFilesMatch extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final String glob;

    NoFilesMatch(String glob) {
      super("no files match " + glob);
      this.glob = glob;
    }

    public String glob() {
      return glob;
    }
  }

  /** Files such as {@code _SUCCESS} or {@code .part.crc} are bookkeeping, not data. */
  private static boolean isHidden(MatchResult.Metadata file) {
    String name = file.resourceId().getFilename();
    return name == null || name.startsWith("_") || name.startsWith(".");
  }

  /**
   * The files' footers, in their order, read {@link #FOOTER_READERS} at a time: a folder may hold
   * thousands of small files, and on an object store each read mostly waits on the network. The
   * first file in order that cannot be read fails the plan, as if they were read one by one.
   */
  private static List<ParquetMetadata> readFooters(List<MatchResult.Metadata> files) {
    ExecutorService readers =
        Executors.newFixedThreadPool(
            Math.min(FOOTER_READERS, files.size()),
            task -> {
              Thread thread = new Thread(task, "probe-rows-footers");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<ParquetMetadata>> reads = new ArrayList<>();
      for (MatchResult.Metadata file : files) {
        reads.add(
            readers.submit(() -> readFooter(file.resourceId().toString(), file.sizeBytes())));
      }
      List<ParquetMetadata> footers = new ArrayList<>();
      for (Future<ParquetMetadata> read : reads) {
        footers.add(footer(read));
      }
      return footers;
    } finally {
      readers.shutdownNow();
    }
  }

  private static ParquetMetadata footer(Future<ParquetMetadata> read) {
    try {
      return read.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw (RuntimeException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the input's footers", e);
    }
  }

  private static ParquetMetadata readFooter(String path, long size) {
    try (ParquetFileReader reader = ParquetFiles.open(path, size)) {
      ParquetMetadata footer = reader.getFooter();
      for (BlockMetaData rowGroup : footer.getBlocks()) {
        for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
          if (chunk.isEncrypted()) {
            // Its footer is plain text, its columns need keys, which a run does not take.
            throw new InvalidInputException(
                "cannot read "
                    + path
                    + ": column "
                    + chunk.getPath().toDotString()
                    + " is encrypted; probe-rows reads no encrypted Parquet files");
          }
        }
      }
      return footer;
    } catch (InvalidInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (StorageException.causedByStore(e)) {
        throw new StorageException("cannot read " + path, e);
      }
      throw new InvalidInputException(
          "cannot read " + path + " as Parquet: " + ParquetFiles.reason(e), e);
    }
  }

  /**
   * The schema that reads both files. Files may differ only in nullability (a column optional in
   * either file is read as optional) and in whether a full-width signed integer is annotated as
   * such (DuckDB annotates BIGINT, Spark does not).
   */
  private static MessageType union(
      MessageType schema, String schemaSource, MessageType other, String otherPath) {
    String conflict = null;
    for (Type field : schema.getFields()) {
      if (!other.containsField(field.getName())) {
        conflict = "column " + field.getName() + " is only in the first";
        break;
      }
    }
    for (Type field : other.getFields()) {
      if (conflict == null && !schema.containsField(field.getName())) {
        conflict = "column " + field.getName() + " is only in the second";
      }
    }
    List<Type> fields = new ArrayList<>();
    for (int i = 0; conflict == null && i < schema.getFieldCount(); i++) {
      Type left = schema.getType(i);
      Type right = other.getType(i);
      if (!left.getName().equals(right.getName())) {
        conflict = "column order: " + left.getName() + " vs " + right.getName() + " at " + i;
      } else if (left.equals(right)) {
        fields.add(left);
      } else if (nullable(left).equals(nullable(right))) {
        fields.add(nullable(left));
      } else {
        conflict = "column " + left.getName() + ": " + oneLine(left) + " vs " + oneLine(right);
      }
    }
    if (conflict != null) {
      throw new InvalidInputException(
          "files have conflicting schemas: "
              + schemaSource
              + " and "
              + otherPath
              + " differ: "
              + conflict);
    }
    return new MessageType(schema.getName(), fields);
  }

  /**
   * The type with every required field made optional, field ids dropped, and redundant integer
   * annotations (signed, full width) dropped.
   */
  private static Type nullable(Type type) {
    Type.Repetition repetition =
        type.isRepetition(Type.Repetition.REPEATED)
            ? Type.Repetition.REPEATED
            : Type.Repetition.OPTIONAL;
    if (type.isPrimitive()) {
      PrimitiveType primitive = type.asPrimitiveType();
      LogicalTypeAnnotation annotation = primitive.getLogicalTypeAnnotation();
      if (isPlainInteger(primitive)) {
        annotation = null;
      }
      Types.PrimitiveBuilder<PrimitiveType> builder =
          Types.primitive(primitive.getPrimitiveTypeName(), repetition).as(annotation);
      if (primitive.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
        builder = builder.length(primitive.getTypeLength());
      }
      return builder.named(primitive.getName());
    }
    GroupType group = type.asGroupType();
    List<Type> fields = new ArrayList<>();
    for (Type field : group.getFields()) {
      fields.add(nullable(field));
    }
    return Types.buildGroup(repetition)
        .as(group.getLogicalTypeAnnotation())
        .addFields(fields.toArray(new Type[0]))
        .named(group.getName());
  }

  private static boolean isPlainInteger(PrimitiveType type) {
    if (!(type.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)) {
      return false;
    }
    LogicalTypeAnnotation.IntLogicalTypeAnnotation annotation =
        (LogicalTypeAnnotation.IntLogicalTypeAnnotation) type.getLogicalTypeAnnotation();
    int width = type.getPrimitiveTypeName() == PrimitiveTypeName.INT64 ? 64 : 32;
    return annotation.isSigned() && annotation.getBitWidth() == width;
  }

  private static String oneLine(Type type) {
    return type.toString().replaceAll("\\s+", " ").trim();
  }

  /** The files' common schema. */
  public MessageType schema() {
    return schema;
  }

  @Internal
  public List<FileSlice> slices() {
    return slices;
  }

  /** Each slice's footer statistics of the top-level {@code column}; null where it has none. */
  @Internal
  public List<Statistics<?>> statistics(String column) {
    List<Statistics<?>> statistics = new ArrayList<>();
    for (BlockMetaData rowGroup : rowGroups) {
      statistics.add(
          rowGroup.getColumns().stream()
              .filter(chunk -> chunk.getPath().toDotString().equals(column))
              .map(ColumnChunkMetaData::getStatistics)
              .findFirst()
              .orElse(null));
    }
    return statistics;
  }

  /** The uncompressed size in bytes of the {@code slice}-th slice, all columns, per its footer. */
  @Internal
  public long uncompressedBytes(int slice) {
    return rowGroups.get(slice).getTotalByteSize();
  }

  /** Each slice's compressed size, all columns: what reading it holds at most. */
  public List<Long> compressedBytes() {
    List<Long> bytes = new ArrayList<>(rowGroups.size());
    for (BlockMetaData rowGroup : rowGroups) {
      bytes.add(rowGroup.getCompressedSize());
    }
    return bytes;
  }

  public int fileCount() {
    return fileCount;
  }

  public long rowCount() {
    return rowCount;
  }
}
