package dev.probe.rows.sort;

import dev.probe.rows.Shards;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.ByteSource;
import dev.probe.rows.events.EventKeys;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.values.KV;

/**
 * A chunk of one sorted run of one shard: events in event key order (see {@link EventKeys}), each
 * stored as its length-prefixed event key followed by its length-prefixed encoded event. A run is
 * either a stretch of a file already in that order or a reader's sorted buffer. Chunks are bounded
 * so no element grows with a key's or a run's size.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class RunChunk {
  /**
   * The coder of {@code KV<shard key, KV<eventKey, payload>>} ({@link Shards#key}); byte arrays
   * shuffle cheaply.
   */
  public static final Coder<KV<Integer, KV<byte[], byte[]>>> SHUFFLE_CODER =
      KvCoder.of(Shards.KEY_CODER, KvCoder.of(ByteArrayCoder.of(), ByteArrayCoder.of()));

  static final int MAX_EVENTS = 4096;
  static final int MAX_BYTES = 1 << 20;

  private RunChunk() {}

  /** How the next event of a file relates to the chunk being built. */
  public enum Continuation {
    SAME_RUN,
    /** An earlier key: the input is not ordered by key here, which needs no merging per key. */
    NEW_RUN,
    /** Same key, earlier time: the input is not ordered here. */
    GOES_BACK,
    FULL
  }

  public static final class Builder {
    private final ByteSink payload = new ByteSink(4096);
    private byte[] firstEventKey;
    private byte[] lastEventKey = new byte[64];
    private int lastLength;
    private int count;

    public boolean isEmpty() {
      return count == 0;
    }

    boolean isFull() {
      return count >= MAX_EVENTS || payload.size() >= MAX_BYTES;
    }

    public byte[] firstEventKey() {
      return firstEventKey;
    }

    /**
     * Whether a file's next event, {@code eventKey[0, length)} with its key ending at {@code
     * keyEnd}, extends this run: it does when it comes later in event key order, whether or not its
     * key is the same.
     */
    public Continuation continuation(byte[] eventKey, int length, int keyEnd) {
      if (count == 0) {
        return Continuation.NEW_RUN;
      }
      byte[] current = eventKey;
      if (Arrays.compareUnsigned(current, 0, length, lastEventKey, 0, lastLength) < 0) {
        boolean sameKey =
            Arrays.equals(current, 0, keyEnd, lastEventKey, 0, Math.min(keyEnd, lastLength));
        return sameKey ? Continuation.GOES_BACK : Continuation.NEW_RUN;
      }
      return isFull() ? Continuation.FULL : Continuation.SAME_RUN;
    }

    public void append(
        byte[] keyBytes,
        int keyOffset,
        int keyLength,
        byte[] eventBytes,
        int eventOffset,
        int eventLength) {
      if (count == 0) {
        firstEventKey = Arrays.copyOfRange(keyBytes, keyOffset, keyOffset + keyLength);
      }
      payload.writeVarInt(keyLength);
      payload.writeBytes(keyBytes, keyOffset, keyLength);
      payload.writeVarInt(eventLength);
      payload.writeBytes(eventBytes, eventOffset, eventLength);
      if (lastEventKey.length < keyLength) {
        lastEventKey = new byte[keyLength];
      }
      System.arraycopy(keyBytes, keyOffset, lastEventKey, 0, keyLength);
      lastLength = keyLength;
      count++;
    }

    /** The chunk's bytes; the builder starts a new chunk. */
    public byte[] build() {
      byte[] chunk = payload.toByteArray();
      payload.reset();
      count = 0;
      return chunk;
    }
  }

  /** Walks a chunk's events in order. */
  static final class Cursor {
    private final byte[] chunk;
    private final ByteSource in;
    private byte[] eventKey;
    private long eventKeyPrefix;
    private byte[] event;

    /** Orders cursors by their current event key. */
    static int compare(Cursor a, Cursor b) {
      // The first eight bytes (key hash and length) almost always differ between keys.
      int byPrefix = Long.compareUnsigned(a.eventKeyPrefix, b.eventKeyPrefix);
      return byPrefix != 0 ? byPrefix : Arrays.compareUnsigned(a.eventKey, b.eventKey);
    }

    /** Positioned on the first event. */
    Cursor(byte[] chunk) {
      this.chunk = chunk;
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
      eventKey = take(in.readVarInt());
      eventKeyPrefix = new ByteSource(eventKey, 0).readLong();
      event = take(in.readVarInt());
      return true;
    }

    private byte[] take(int length) {
      byte[] bytes = Arrays.copyOfRange(chunk, in.position(), in.position() + length);
      in.skip(length);
      return bytes;
    }
  }
}
