package dev.probe.rows;

import dev.probe.rows.parquet.Fingerprint;
import dev.probe.rows.parquet.ParquetFiles;
import dev.probe.rows.parquet.ProbeRowWriteSupport;
import dev.probe.rows.sort.LocalFolders;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The output folder and its commit protocol. The folder holds only what readers of the output
 * should read: {@code part-SSSSS-of-NNNNN.parquet} and, last, {@code _SUCCESS}. Everything else
 * lives beside it, so that no glob over the folder ({@code out/*.parquet}, {@code out/**}) and no
 * reader of the folder ever picks it up, during a run or after one:
 *
 * <ul>
 *   <li>the run's work folder {@code .<name>.probe-rows/}: the {@link OutputClaim}s and each run's
 *       staging folder {@code <run id>/}, where shards, readers' files and summaries are written;
 *       the commit moves the files into place, and the run removes the work folder when it ends;
 *   <li>rejected rows, in their own folder: by default {@code <name>-rejects/} beside the output.
 * </ul>
 *
 * An aborted run removes its staging folder and leaves no part files.
 */
public final class OutputDirectory implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String SUCCESS = "_SUCCESS";
  private static final String SLICE_SUFFIX = ".summary";
  private static final String WORK_SUFFIX = ".probe-rows";
  private static final String REJECTS_SUFFIX = "-rejects";

  /**
   * What probe-rows writes in the output folder; {@code _temporary} and {@code _rejects} are the
   * staging and rejects folders of earlier versions, which kept them inside it.
   */
  private static final Pattern OWN_FILE =
      Pattern.compile("part-\\d{5}-of-\\d{5}\\.parquet|_SUCCESS|_temporary|_rejects");

  private static final Pattern OWN_REJECTS_FILE =
      Pattern.compile("part-\\d{5}-\\d{5}(-\\d{5})?\\.parquet");

  /** Runs ended in this JVM, committed or aborted: nothing may write under their folder. */
  private static final Set<String> ABORTED_RUNS = ConcurrentHashMap.newKeySet();

  private final String path;
  private final String rejectsPath;

  private OutputDirectory(String path, String rejectsPath) {
    this.path = path;
    this.rejectsPath = rejectsPath;
  }

  /**
   * The folder {@code path}, with its rejects beside it in {@code <name>-rejects/}.
   *
   * @throws IllegalArgumentException if {@code path} is a root (of a disk, a bucket, a
   *     namespace), which has no parent to keep the work folder in
   */
  public static OutputDirectory at(String path) {
    String folder = asFolder(path);
    return new OutputDirectory(folder, siblingOf(folder, "", REJECTS_SUFFIX));
  }

  /** Rejected rows go to {@code rejectsPath}, which must not be inside the output folder. */
  public OutputDirectory withRejects(String rejectsPath) {
    String folder = asFolder(rejectsPath);
    if (folder.startsWith(path) || path.startsWith(folder)) {
      throw new IllegalArgumentException(
          "the rejects folder " + folder + " must not hold or be inside the output " + path);
    }
    return new OutputDirectory(path, folder);
  }

  private static String asFolder(String path) {
    String folder = path.endsWith("/") ? path : path + "/";
    if (!folder.contains("://") && !folder.startsWith("/")) {
      // Relative to the client's working folder: workers may have another one.
      folder = Paths.get(folder).toAbsolutePath() + "/";
    }
    return folder;
  }

  /** {@code <parent>/<prefix><name><suffix>/} for the folder {@code <parent>/<name>/}. */
  private static String siblingOf(String folder, String prefix, String suffix) {
    String trimmed = folder.substring(0, folder.length() - 1);
    int slash = trimmed.lastIndexOf('/');
    String parent = trimmed.substring(0, slash + 1);
    String name = trimmed.substring(slash + 1);
    if (name.isEmpty() || parent.isEmpty() || parent.endsWith("://")) {
      throw new IllegalArgumentException(
          folder + " is a root; the output must be a folder inside one");
    }
    return parent + prefix + name + suffix + "/";
  }

  public String path() {
    return path;
  }

  /** Where rejected rows are published. */
  public String rejectsPath() {
    return rejectsPath;
  }

  private ResourceId root() {
    return FileSystems.matchNewResource(path, true);
  }

  private ResourceId rejectsRoot() {
    return FileSystems.matchNewResource(rejectsPath, true);
  }

  /** The folder beside the output that holds the claims and the runs' staging folders. */
  ResourceId workDirectory() {
    return FileSystems.matchNewResource(siblingOf(path, ".", WORK_SUFFIX), true);
  }

  ResourceId temporaryDirectory(String runId) {
    return workDirectory().resolve(runId, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  ResourceId temporaryFile(String runId, String name) {
    if (ABORTED_RUNS.contains(runId)) {
      // Workers in this JVM may still run while it shuts down; they must not recreate the folder.
      throw new IllegalStateException("run " + runId + " was aborted; not writing " + name);
    }
    return temporaryDirectory(runId).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  /**
   * Leaves the summaries of one reader's bundle in the run's staging folder for the commit, in one
   * file: a file per row group had the readers and the commit open tens of thousands of files for
   * an input of many small ones. Written under a temporary name and then renamed, so the commit
   * never reads half of them; a bundle that is retried leaves a second, equivalent file.
   */
  void recordSlices(String runId, List<SliceSummary> summaries) throws IOException {
    if (summaries.isEmpty()) {
      return;
    }
    String name = "slices-" + UUID.randomUUID();
    ResourceId partial = temporaryFile(runId, name + ".partial");
    // Length-prefixed, as a rejects path may hold any character a line could end at.
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(
                Channels.newOutputStream(FileSystems.create(partial, MimeTypes.BINARY))))) {
      out.writeInt(summaries.size());
      for (SliceSummary summary : summaries) {
        byte[] line = summary.toLine().getBytes(StandardCharsets.UTF_8);
        out.writeInt(line.length);
        out.write(line);
      }
    }
    FileSystems.rename(List.of(partial), List.of(temporaryFile(runId, name + SLICE_SUFFIX)));
  }

  /** Every summary the run's readers recorded. */
  List<SliceSummary> recordedSlices(String runId) throws IOException {
    List<SliceSummary> slices = new ArrayList<>();
    for (ResourceId file : filesUnder(temporaryDirectory(runId))) {
      if (file.getFilename().endsWith(SLICE_SUFFIX)) {
        try (DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(Channels.newInputStream(FileSystems.open(file))))) {
          for (int count = in.readInt(); count > 0; count--) {
            byte[] line = new byte[in.readInt()];
            in.readFully(line);
            slices.add(SliceSummary.fromLine(new String(line, StandardCharsets.UTF_8)));
          }
        }
      }
    }
    return slices;
  }

  public static String partName(int shard, int numShards) {
    return String.format("part-%05d-of-%05d.parquet", shard, numShards);
  }

  ResourceId part(int shard, int numShards) {
    return root().resolve(partName(shard, numShards), StandardResolveOptions.RESOLVE_FILE);
  }

  /**
   * Names in the output and rejects folders other than the ones probe-rows writes (hidden files
   * included), each with its folder.
   */
  public List<String> foreignFiles() throws IOException {
    List<String> foreign = new ArrayList<>();
    for (String name : names(root())) {
      if (!OWN_FILE.matcher(name).matches()) {
        foreign.add(path + name);
      }
    }
    for (String name : names(rejectsRoot())) {
      if (!OWN_REJECTS_FILE.matcher(name).matches()) {
        foreign.add(rejectsPath + name);
      }
    }
    Collections.sort(foreign);
    return foreign;
  }

  /** Whether the output and rejects folders hold nothing at all. */
  public boolean isEmpty() throws IOException {
    return names(root()).isEmpty() && names(rejectsRoot()).isEmpty();
  }

  /** Removes what an earlier run wrote here and in the rejects folder; never touches other files. */
  public void clearPreviousOutput() throws IOException {
    // _SUCCESS first, so a half-cleared folder never looks complete.
    FileSystems.delete(
        List.of(root().resolve(SUCCESS, StandardResolveOptions.RESOLVE_FILE)),
        StandardMoveOptions.IGNORE_MISSING_FILES);
    List<ResourceId> files = new ArrayList<>();
    for (String name : names(root())) {
      if (name.equals("_temporary") || name.equals("_rejects")) {
        deleteRecursively(root().resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY));
      } else if (OWN_FILE.matcher(name).matches()) {
        files.add(root().resolve(name, StandardResolveOptions.RESOLVE_FILE));
      }
    }
    for (String name : names(rejectsRoot())) {
      if (OWN_REJECTS_FILE.matcher(name).matches()) {
        files.add(rejectsRoot().resolve(name, StandardResolveOptions.RESOLVE_FILE));
      }
    }
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
    removeIfEmpty(rejectsRoot());
  }

  /**
   * Publishes a run: checks that every input row was read and either rejected or written, and that
   * the events handed to the writers are the events read ({@link Fingerprint}), then moves the
   * shards into place (shards that got no key become empty files), then the files of keys readers
   * wrote themselves, and the rejects into the rejects folder, then writes {@code _SUCCESS}.
   *
   * @throws SelfCheckFailed before publishing anything, if rows were lost, duplicated or changed
   */
  List<String> commit(
      String runId, List<WrittenShard> shards, long inputRows, int numShards, ProbeRowSchema schema)
      throws IOException {
    List<SliceSummary> slices = recordedSlices(runId);
    // A retried bundle can leave a second copy of a shard or a row group; both are complete.
    Map<Integer, WrittenShard> byShard = new TreeMap<>();
    shards.forEach(shard -> byShard.putIfAbsent(shard.shard(), shard));
    Map<List<Integer>, SliceSummary> bySlice = new TreeMap<>(OutputDirectory::compareSlices);
    slices.forEach(
        slice ->
            bySlice.putIfAbsent(
                List.of(slice.fileIndex(), slice.rowGroup(), slice.window()), slice));
    selfCheck(inputRows, bySlice.values(), byShard.values());
    List<ResourceId> ownKeys = new ArrayList<>();
    for (SliceSummary slice : bySlice.values()) {
      if (slice.ownKeysFile() != null) {
        ownKeys.add(temporaryFile(runId, slice.ownKeysFile()));
      }
    }
    int parts = numShards + ownKeys.size();
    List<ResourceId> published = new ArrayList<>();
    try {
      for (int shard = 0; shard < numShards; shard++) {
        ResourceId source;
        if (byShard.containsKey(shard)) {
          source = FileSystems.matchNewResource(byShard.get(shard).temporaryPath(), false);
        } else {
          source = temporaryFile(runId, "empty-" + partName(shard, numShards));
          ParquetFiles.writer(ParquetFiles.outputFile(source), new ProbeRowWriteSupport(schema))
              .close();
        }
        publish(source, part(shard, parts), published);
      }
      for (int i = 0; i < ownKeys.size(); i++) {
        publish(ownKeys.get(i), part(numShards + i, parts), published);
      }
      ResourceId rejects = rejectsRoot();
      for (SliceSummary slice : bySlice.values()) {
        if (slice.rejectsPath() != null) {
          publish(
              FileSystems.matchNewResource(slice.rejectsPath(), false),
              rejects.resolve(
                  rejectsName(slice),
                  StandardResolveOptions.RESOLVE_FILE),
              published);
        }
      }
      try (WritableByteChannel success =
          FileSystems.create(
              root().resolve(SUCCESS, StandardResolveOptions.RESOLVE_FILE), MimeTypes.TEXT)) {
        // _SUCCESS is empty, as Hadoop and Spark write it.
      }
    } catch (IOException | RuntimeException e) {
      unpublish(published, e);
      throw e;
    }
    abort(runId);
    List<String> committed = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      committed.add(part(part, parts).toString());
    }
    return committed;
  }

  /**
   * Checks that every input row was read and is an event or a rejected row, and that the events
   * handed to the writers, merged shards and readers' own files alike, are the events read: as
   * many, and with the same {@link Fingerprint}.
   */
  private static void selfCheck(
      long inputRows, Collection<SliceSummary> slices, Collection<WrittenShard> shards) {
    long rowsRead = 0;
    long rejected = 0;
    Fingerprint read = Fingerprint.NONE;
    Fingerprint written = Fingerprint.NONE;
    for (SliceSummary slice : slices) {
      rowsRead += slice.rowsRead();
      rejected += slice.rejected();
      read = read.plus(slice.read());
      written = written.plus(slice.ownKeys());
      if (slice.read().events() + slice.rejected() != slice.rowsRead()) {
        throw new SelfCheckFailed(
            String.format(
                "%s of %,d rows gave %,d events and %,d rejected rows",
                slice, slice.rowsRead(), slice.read().events(), slice.rejected()));
      }
    }
    for (WrittenShard shard : shards) {
      written = written.plus(shard.written());
    }
    if (rowsRead != inputRows) {
      throw new SelfCheckFailed(
          String.format("the input has %,d rows but %,d were read", inputRows, rowsRead));
    }
    if (!written.equals(read)) {
      throw new SelfCheckFailed(
          String.format(
              "read %s, %,d rejected rows aside, but wrote %s",
              read, rejected, written));
    }
  }

  /** A row group's rejects, and its window's where windows took its rows apart. */
  private static String rejectsName(SliceSummary slice) {
    return slice.window() == 0
        ? String.format("part-%05d-%05d.parquet", slice.fileIndex(), slice.rowGroup())
        : String.format(
            "part-%05d-%05d-%05d.parquet", slice.fileIndex(), slice.rowGroup(), slice.window());
  }

  /** Moves one file into place and remembers it, so that a failed commit can take it back. */
  private static void publish(ResourceId source, ResourceId target, List<ResourceId> published)
      throws IOException {
    try {
      FileSystems.rename(List.of(source), List.of(target));
    } catch (IOException e) {
      if (!crossesDisks(e)) {
        throw e;
      }
      // The output folder is a disk of its own (a mount point) and the work folder beside it is
      // not: copy under a name no Parquet reader takes, then rename on the output's own disk.
      ResourceId copy =
          target
              .getCurrentDirectory()
              .resolve("." + target.getFilename() + ".copying", StandardResolveOptions.RESOLVE_FILE);
      try {
        FileSystems.copy(List.of(source), List.of(copy));
        FileSystems.rename(List.of(copy), List.of(target));
      } catch (IOException | RuntimeException copyFailed) {
        FileSystems.delete(List.of(copy), StandardMoveOptions.IGNORE_MISSING_FILES);
        throw copyFailed;
      }
      FileSystems.delete(List.of(source));
    }
    published.add(target);
  }

  private static boolean crossesDisks(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof AtomicMoveNotSupportedException
          || String.valueOf(cause.getMessage()).contains("cross-device")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes the files a failed commit had already moved into place (a store can fail half-way), so
   * that no partial output is left to read. If the store is down for this too, the files stay,
   * without {@code _SUCCESS}; a rerun with --overwrite removes them.
   */
  private static void unpublish(List<ResourceId> published, Exception failure) {
    try {
      FileSystems.delete(published, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static int compareSlices(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < a.size(); i++) {
      int order = Integer.compare(a.get(i), b.get(i));
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  /** Removes this run's staging folder, and the work folder if nothing else is in it. */
  public void abort(String runId) throws IOException {
    ABORTED_RUNS.add(runId);
    deleteRecursively(temporaryDirectory(runId));
    removeIfEmpty(workDirectory());
  }

  /** Removes what a run that ended without cleaning up left in the work folder. */
  void removeStaging(String runId) throws IOException {
    deleteRecursively(temporaryDirectory(runId));
  }

  static void removeIfEmpty(ResourceId directory) throws IOException {
    if (names(directory).isEmpty()) {
      deleteRecursively(directory);
    }
  }

  /**
   * Names directly in {@code directory}, folders included. Beam's match lists files only, so a
   * local folder is listed directly; elsewhere folders are the first part of the files' paths.
   */
  static List<String> names(ResourceId directory) throws IOException {
    if (isLocal(directory)) {
      Path path = Paths.get(directory.toString());
      if (!Files.isDirectory(path)) {
        return List.of();
      }
      try (Stream<Path> entries = Files.list(path)) {
        return entries.map(entry -> entry.getFileName().toString()).collect(Collectors.toList());
      }
    }
    String prefix = directory.toString();
    Set<String> names = new TreeSet<>();
    for (ResourceId file : filesUnder(directory)) {
      String rest = file.toString().substring(prefix.length());
      names.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
    }
    return new ArrayList<>(names);
  }

  private static void deleteRecursively(ResourceId directory) throws IOException {
    if (isLocal(directory)) {
      LocalFolders.deleteRecursively(Paths.get(directory.toString()));
      return;
    }
    FileSystems.delete(filesUnder(directory), StandardMoveOptions.IGNORE_MISSING_FILES);
    try {
      FileSystems.delete(List.of(directory), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      // Object stores have no folders: once its files are gone, the folder is gone too.
    }
  }

  static List<ResourceId> filesUnder(ResourceId directory) throws IOException {
    MatchResult result =
        FileSystems.match(List.of(directory + "**"), EmptyMatchTreatment.ALLOW).get(0);
    List<ResourceId> files = new ArrayList<>();
    if (result.status() != MatchResult.Status.NOT_FOUND) {
      // For an ERROR, this throws the store's exception: an unreachable store is not an empty one.
      for (MatchResult.Metadata metadata : result.metadata()) {
        files.add(metadata.resourceId());
      }
    }
    return files;
  }

  private static boolean isLocal(ResourceId resource) {
    return "file".equals(resource.getScheme());
  }
}
