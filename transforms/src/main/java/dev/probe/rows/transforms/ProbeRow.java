package dev.probe.rows.transforms;

import java.util.Iterator;

/**
 * One probe row as it is being written: its key, its chunk index and its events, streamed. The
 * events are consumed once, while the row is written, so a key's timeline is never held whole.
 */
final class ProbeRow {
  final byte[] eventKey;
  final int chunk;
  final Iterator<byte[]> events;

  ProbeRow(byte[] eventKey, int chunk, Iterator<byte[]> events) {
    this.eventKey = eventKey;
    this.chunk = chunk;
    this.events = events;
  }
}
