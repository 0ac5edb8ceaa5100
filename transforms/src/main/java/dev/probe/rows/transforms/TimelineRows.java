package dev.probe.rows.transforms;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.values.KV;

/**
 * Cuts a stream of events sorted by (key, time, position) into probe rows: one per key, or
 * consecutive chunks of at most {@code maxEventsPerRow} events. Each row's events are streamed from
 * the underlying iterator, so memory does not grow with a key's size.
 */
final class TimelineRows implements Iterator<ProbeRow> {
  private final Iterator<KV<byte[], byte[]>> sorted;
  private final long maxEventsPerRow;
  private KV<byte[], byte[]> pending;
  private byte[] currentKey;
  private int currentKeyEnd;
  private int chunk;
  private long events;
  private EventIterator open;

  /**
   * @param maxEventsPerRow 0 for no limit
   */
  TimelineRows(Iterator<KV<byte[], byte[]>> sorted, long maxEventsPerRow) {
    this.sorted = sorted;
    this.maxEventsPerRow = maxEventsPerRow <= 0 ? Long.MAX_VALUE : maxEventsPerRow;
  }

  @Override
  public boolean hasNext() {
    if (open != null && open.hasNext()) {
      throw new IllegalStateException("a probe row was not written whole before the next one");
    }
    if (pending == null && sorted.hasNext()) {
      pending = sorted.next();
    }
    return pending != null;
  }

  @Override
  public ProbeRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (currentKey != null && isCurrentKey(pending.getKey())) {
      chunk++;
    } else {
      currentKey = pending.getKey();
      currentKeyEnd = EventKeys.keyEnd(currentKey);
      chunk = 0;
    }
    open = new EventIterator();
    return new ProbeRow(currentKey, chunk, open);
  }

  private boolean isCurrentKey(byte[] eventKey) {
    return EventKeys.sameKey(currentKey, currentKeyEnd, eventKey);
  }

  /** Events consumed so far, across all rows. */
  long events() {
    return events;
  }

  private final class EventIterator implements Iterator<byte[]> {
    private long taken;

    @Override
    public boolean hasNext() {
      if (taken >= maxEventsPerRow) {
        return false;
      }
      if (pending == null && sorted.hasNext()) {
        pending = sorted.next();
      }
      return pending != null && isCurrentKey(pending.getKey());
    }

    @Override
    public byte[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      byte[] event = pending.getValue();
      pending = null;
      taken++;
      events++;
      return event;
    }
  }
}
