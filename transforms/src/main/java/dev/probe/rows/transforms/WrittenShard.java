package dev.probe.rows.transforms;

import java.io.Serializable;
import java.util.Objects;

/** A shard's file, written under the temporary folder and not yet committed. */
public final class WrittenShard implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int shard;
  private final String temporaryPath;
  private final long events;

  WrittenShard(int shard, String temporaryPath, long events) {
    this.shard = shard;
    this.temporaryPath = temporaryPath;
    this.events = events;
  }

  public int shard() {
    return shard;
  }

  public String temporaryPath() {
    return temporaryPath;
  }

  public long events() {
    return events;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof WrittenShard)) {
      return false;
    }
    WrittenShard that = (WrittenShard) other;
    return shard == that.shard && temporaryPath.equals(that.temporaryPath) && events == that.events;
  }

  @Override
  public int hashCode() {
    return Objects.hash(shard, temporaryPath, events);
  }

  @Override
  public String toString() {
    return "shard " + shard + " at " + temporaryPath;
  }
}
