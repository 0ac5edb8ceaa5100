package dev.probe.rows.parquet;

import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A count of events and the wrapping sum of their {@link EventDigest}s: the self-check compares the
 * fingerprint of the events read with that of the events written. Sums of parts add up, in any
 * order.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class Fingerprint implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Fingerprint NONE = new Fingerprint(0, 0);

  private final long events;
  private final long digest;

  public Fingerprint(long events, long digest) {
    this.events = events;
    this.digest = digest;
  }

  public long events() {
    return events;
  }

  public long digest() {
    return digest;
  }

  public Fingerprint plus(Fingerprint other) {
    return new Fingerprint(events + other.events, digest + other.digest);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Fingerprint)) {
      return false;
    }
    Fingerprint that = (Fingerprint) other;
    return events == that.events && digest == that.digest;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(events) * 31 + Long.hashCode(digest);
  }

  /** For example {@code 1,000 events (fingerprint 0123456789abcdef)}. */
  @Override
  public String toString() {
    return String.format("%,d events (fingerprint %016x)", events, digest);
  }
}
