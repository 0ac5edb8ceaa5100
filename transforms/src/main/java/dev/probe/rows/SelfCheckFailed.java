package dev.probe.rows;

import dev.probe.rows.parquet.Fingerprint;

/**
 * The output failed the run's self-check: the events written are not the events read (their count
 * or their {@link Fingerprint}), or a written list is out of order. A bug, not bad input; nothing
 * was published.
 */
public final class SelfCheckFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SelfCheckFailed(String message) {
    super(message);
  }

  SelfCheckFailed(String message, Throwable cause) {
    super(message, cause);
  }
}
