package dev.probe.rows;

import dev.probe.rows.parquet.Fingerprint;
import java.io.Serializable;
import java.util.Objects;

/** A shard's file, written under the temporary folder and not yet committed. */
final class WrittenShard implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int shard;
  private final String temporaryPath;
  private final Fingerprint written;

  WrittenShard(int shard, String temporaryPath, Fingerprint written) {
    this.shard = shard;
    this.temporaryPath = temporaryPath;
    this.written = written;
  }

  int shard() {
    return shard;
  }

  String temporaryPath() {
    return temporaryPath;
  }

  /** The events handed to the shard's writer. */
  Fingerprint written() {
    return written;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof WrittenShard)) {
      return false;
    }
    WrittenShard that = (WrittenShard) other;
    return shard == that.shard && temporaryPath.equals(that.temporaryPath)
        && written.equals(that.written);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shard, temporaryPath, written);
  }

  @Override
  public String toString() {
    return "shard " + shard + " at " + temporaryPath;
  }
}
