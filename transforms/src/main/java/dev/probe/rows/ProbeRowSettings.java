package dev.probe.rows;

import java.io.Serializable;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.beam.sdk.extensions.sorter.BufferedExternalSorter;

/**
 * How {@link ParquetProbeRows} runs: the probe rows' schema, where they are written, how events
 * are sorted and sharded. One immutable value, built once and handed to the transform, whose
 * workers keep a reference to it rather than copies of its parts; each {@code with} method returns
 * a copy with one setting changed.
 */
public final class ProbeRowSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ProbeRowSchema schema;
  private final OutputDirectory output;
  // Set only while a copy is made (see with), never after.
  private BufferedExternalSorter.Options sorter = BufferedExternalSorter.options();
  private Shards shards = Shards.hashed(1);
  private long maxEventsPerRow;
  private boolean assumeOrdered;
  private String runId = UUID.randomUUID().toString();
  private DataErrors dataErrors = DataErrors.AS_THROWN;
  // Faults for tests of the self-check: see ProbeRowFile.swapFirstTwoPayloads.
  private boolean swappingShardPayloads;
  private boolean swappingOwnKeysPayloads;

  private ProbeRowSettings(ProbeRowSchema schema, OutputDirectory output) {
    this.schema = schema;
    this.output = output;
  }

  /**
   * Probe rows of {@code schema} written to {@code output}; one shard, Beam's default sorter, no
   * limit on a row's events, events sorted whatever their order, a fresh run id.
   */
  public static ProbeRowSettings of(ProbeRowSchema schema, OutputDirectory output) {
    return new ProbeRowSettings(schema, output);
  }

  private ProbeRowSettings with(Consumer<ProbeRowSettings> change) {
    ProbeRowSettings copy = new ProbeRowSettings(schema, output);
    copy.sorter = sorter;
    copy.shards = shards;
    copy.maxEventsPerRow = maxEventsPerRow;
    copy.assumeOrdered = assumeOrdered;
    copy.runId = runId;
    copy.dataErrors = dataErrors;
    copy.swappingShardPayloads = swappingShardPayloads;
    copy.swappingOwnKeysPayloads = swappingOwnKeysPayloads;
    change.accept(copy);
    return copy;
  }

  /** The sort's memory per worker and the local folder it spills to. */
  public ProbeRowSettings withSorter(BufferedExternalSorter.Options sorter) {
    return with(copy -> copy.sorter = sorter);
  }

  /** {@code numShards} output files, placed on workers by the runner's hash. */
  public ProbeRowSettings withNumShards(int numShards) {
    return withShards(Shards.hashed(numShards));
  }

  /** Output files, and the workers they and the row groups go to. */
  public ProbeRowSettings withShards(Shards shards) {
    return with(copy -> copy.shards = shards);
  }

  /** Splits timelines longer than this into consecutive rows ({@code chunk} 0, 1, …); 0: never. */
  public ProbeRowSettings withMaxEventsPerRow(long maxEventsPerRow) {
    if (maxEventsPerRow < 0) {
      throw new IllegalArgumentException(
          "maxEventsPerRow must be 0 (no limit) or more, not " + maxEventsPerRow);
    }
    return with(copy -> copy.maxEventsPerRow = maxEventsPerRow);
  }

  /**
   * Expects each file's runs of a key to be in time order, and ships those runs instead of sorting;
   * where the row groups' statistics show that a row group alone holds a key, its reader writes
   * that key's row itself, and where they show files each sorted by key that overlap, readers
   * merge key ranges of them into rows themselves. The output is the same either way: rows are checked one by one, runs are
   * merged, runs that overlap beyond the memory budget are sorted on disk, and a row group out of
   * order ships its keys after all.
   */
  public ProbeRowSettings withAssumeOrdered(boolean assumeOrdered) {
    return with(copy -> copy.assumeOrdered = assumeOrdered);
  }

  /** Names the temporary folder, so a caller can {@link OutputDirectory#abort} a failed run. */
  public ProbeRowSettings withRunId(String runId) {
    return with(copy -> copy.runId = runId);
  }

  /** How workers fail on input errors, so that the runner does not retry them; as thrown by default. */
  public ProbeRowSettings withDataErrors(DataErrors dataErrors) {
    return with(copy -> copy.dataErrors = dataErrors);
  }

  /**
   * A fault for tests, out of the command line's reach: each file of merged shards swaps the
   * payloads of its first two events, so that a test sees the self-check refuse to publish.
   */
  ProbeRowSettings withShardPayloadsSwapped() {
    return with(copy -> copy.swappingShardPayloads = true);
  }

  /** A fault for tests: each file of keys a reader writes itself swaps its first two payloads. */
  ProbeRowSettings withOwnKeysPayloadsSwapped() {
    return with(copy -> copy.swappingOwnKeysPayloads = true);
  }

  ProbeRowSchema schema() {
    return schema;
  }

  OutputDirectory output() {
    return output;
  }

  BufferedExternalSorter.Options sorter() {
    return sorter;
  }

  /**
   * Half the sort budget: a reader's sort buffer lives beside the sorts of the shards it feeds. A
   * reader that assumes order sorts nothing, and may hold that much of its input instead.
   */
  long sortBufferBytes() {
    return sortBufferBytes(sorter.getMemoryMB());
  }

  /** {@link #sortBufferBytes} for a sort budget of {@code sortMemoryMb}. */
  public static long sortBufferBytes(int sortMemoryMb) {
    return Math.max(1, sortMemoryMb / 2) * 1024L * 1024L;
  }

  Shards shards() {
    return shards;
  }

  long maxEventsPerRow() {
    return maxEventsPerRow;
  }

  boolean assumeOrdered() {
    return assumeOrdered;
  }

  String runId() {
    return runId;
  }

  DataErrors dataErrors() {
    return dataErrors;
  }

  boolean swappingShardPayloads() {
    return swappingShardPayloads;
  }

  boolean swappingOwnKeysPayloads() {
    return swappingOwnKeysPayloads;
  }
}
