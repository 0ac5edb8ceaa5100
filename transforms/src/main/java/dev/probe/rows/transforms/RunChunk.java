package dev.probe.rows.transforms;

import java.util.Arrays;

/**
 * A chunk of one sorted run: events of one key in (time, input position) order. Each event is
 * stored as its event key (all of one length within a chunk) followed by its length-prefixed
 * encoded event. Chunks are bounded so no element grows with a key's size.
 */
final class RunChunk {
  static final int MAX_EVENTS = 4096;
  static final int MAX_BYTES = 1 << 20;

  /** Bytes after the sort value in an event key: file index and row. */
  private static final int POSITION_BYTES = 12;

  private RunChunk() {}

  /** How the next event relates to the chunk being built. */
  enum Continuation {
    SAME_RUN,
    NEW_RUN,
    /** Same key, earlier time: the input is not ordered here. */
    GOES_BACK,
    FULL
  }

  static final class Builder {
    private final ByteSink payload = new ByteSink(4096);
    private byte[] firstEventKey;
    private byte[] lastEventKey = new byte[64];
    private int lastLength;
    private int count;

    boolean isEmpty() {
      return count == 0;
    }

    byte[] firstEventKey() {
      return firstEventKey;
    }

    Continuation continuation(ByteSink eventKey, int keyEnd) {
      if (count == 0) {
        return Continuation.NEW_RUN;
      }
      byte[] current = eventKey.array();
      int length = eventKey.size();
      if (length != lastLength || !Arrays.equals(current, 0, keyEnd, lastEventKey, 0, keyEnd)) {
        return Continuation.NEW_RUN;
      }
      int sortEnd = length - POSITION_BYTES;
      if (Arrays.compareUnsigned(current, keyEnd, sortEnd, lastEventKey, keyEnd, sortEnd) < 0) {
        return Continuation.GOES_BACK;
      }
      if (count >= MAX_EVENTS || payload.size() >= MAX_BYTES) {
        return Continuation.FULL;
      }
      return Continuation.SAME_RUN;
    }

    void append(ByteSink eventKey, ByteSink event) {
      if (count == 0) {
        firstEventKey = eventKey.toByteArray();
      }
      payload.writeBytes(eventKey.array(), 0, eventKey.size());
      payload.writeVarInt(event.size());
      payload.writeBytes(event.array(), 0, event.size());
      if (lastEventKey.length < eventKey.size()) {
        lastEventKey = new byte[eventKey.size()];
      }
      System.arraycopy(eventKey.array(), 0, lastEventKey, 0, eventKey.size());
      lastLength = eventKey.size();
      count++;
    }

    /** The chunk's bytes; the builder starts a new chunk. */
    byte[] build() {
      byte[] chunk = payload.toByteArray();
      payload.reset();
      count = 0;
      return chunk;
    }
  }

  /** Walks a chunk's events in order. */
  static final class Cursor {
    private final byte[] chunk;
    private final int keyLength;
    private final ByteSource in;
    private byte[] eventKey;
    private byte[] event;

    /** Positioned on the first event. */
    Cursor(byte[] firstEventKey, byte[] chunk) {
      this.chunk = chunk;
      this.keyLength = firstEventKey.length;
      this.in = new ByteSource(chunk, 0);
      advance();
    }

    byte[] eventKey() {
      return eventKey;
    }

    byte[] event() {
      return event;
    }

    /** Bytes this cursor keeps alive. */
    int size() {
      return chunk.length;
    }

    /** Moves to the next event; false at the end of the chunk. */
    boolean advance() {
      if (in.position() >= chunk.length) {
        return false;
      }
      eventKey = Arrays.copyOfRange(chunk, in.position(), in.position() + keyLength);
      in.skip(keyLength);
      int length = in.readVarInt();
      event = Arrays.copyOfRange(chunk, in.position(), in.position() + length);
      in.skip(length);
      return true;
    }
  }
}
