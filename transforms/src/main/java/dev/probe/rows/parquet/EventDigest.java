package dev.probe.rows.parquet;

import dev.probe.rows.events.ByteSink;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.parquet.io.api.Binary;

/**
 * The self-check's fingerprint of an event, computed twice at independent points: from the values
 * as they are read from the input, and from the values as they are handed to the output's Parquet
 * writer. A run's fingerprint is the wrapping sum of its events' fingerprints, so it does not depend
 * on the order in which events are read, shuffled or written; the commit compares the two sums.
 *
 * <p>An event's fingerprint covers its key's value, its place in the input (the event key's sort
 * value, file and row: a payload that moved to another event changes it) and its event columns'
 * values, in a form both sides compute alike:
 *
 * <ul>
 *   <li>a primitive value: {@link #ofLong} of its bits (booleans 0 or 1, floats and doubles their
 *       raw bits, integers sign-extended) or {@link #ofBinary} of its bytes;
 *   <li>a field: its values folded in order ({@link #field}) from {@link #FIELD_SEED}; a field with
 *       no value (null, or an empty repetition) is left out of its group;
 *   <li>a group: its fields folded with their index ({@link #group}) from {@link #GROUP_SEED} and
 *       finished by {@link #groupValue}; the event's columns are such a group.
 * </ul>
 */
final class EventDigest {
  static final long FIELD_SEED = 0x2545F4914F6CDD1DL;
  static final long GROUP_SEED = 0x4F1BBCDCBFA53E0BL;
  private static final long PRIME_1 = 0x9E3779B185EBCA87L;
  private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private EventDigest() {}

  static long ofLong(long bits) {
    return mix(bits * PRIME_1 + PRIME_2);
  }

  /**
   * {@link #ofBytes} of a binary value's bytes, copied into {@code scratch} first: a value read
   * from a page is a view of it, and asking it for its bytes in place would make a buffer object
   * per value. The copy also gives bytes off the heap the fingerprint they have on it.
   */
  static long ofBinary(Binary value, ByteSink scratch) {
    scratch.reset();
    scratch.writeBinary(value);
    return ofBytes(scratch.array(), 0, scratch.size());
  }

  /**
   * The fingerprint of {@code bytes[offset, offset + length)}, eight bytes at a time, the last one
   * to seven as one little-endian word.
   */
  static long ofBytes(byte[] bytes, int offset, int length) {
    long hash = PRIME_2 ^ length;
    int end = offset + length;
    int i = offset;
    for (; i + 8 <= end; i += 8) {
      hash = Long.rotateLeft(hash ^ (long) LONGS.get(bytes, i) * PRIME_1, 31) * PRIME_2;
    }
    if (i < end) {
      long tail = 0;
      if (i + 8 <= bytes.length) {
        // One read of a whole word, the bytes past the value masked off, instead of a loop whose
        // length changes from value to value.
        tail = (long) LONGS.get(bytes, i) & (-1L >>> (8 * (8 - (end - i))));
      } else {
        for (int shift = 0; i < end; i++, shift += 8) {
          tail |= (bytes[i] & 0xFFL) << shift;
        }
      }
      hash = Long.rotateLeft(hash ^ tail * PRIME_1, 23) * PRIME_2;
    }
    return mix(hash);
  }

  /** Folds the next value of a field into its fingerprint so far. */
  static long field(long field, long value) {
    return field * PRIME_1 + value;
  }

  /** Folds a field that holds at least one value into its group's fingerprint so far. */
  static long group(long group, int index, long field) {
    return group * PRIME_2 + mix(field + index * PRIME_1);
  }

  /** The fingerprint of a group as a value of its enclosing field. */
  static long groupValue(long group) {
    return mix(group);
  }

  /**
   * The fingerprint of one event.
   *
   * @param key the key column's field fingerprint
   * @param place {@link #ofBytes} of the event key after its key: sort value, file and row
   * @param columns the {@link #groupValue} of the event's columns
   */
  static long event(long key, long place, long columns) {
    return mix(mix(key ^ place * PRIME_1) + columns);
  }

  /** The place of an event: its event key after the key. */
  static long place(byte[] eventKey, int keyEnd, int length) {
    return ofBytes(eventKey, keyEnd, length - keyEnd);
  }

  /** murmur3's 64-bit finalizer. */
  private static long mix(long hash) {
    hash ^= hash >>> 33;
    hash *= 0xFF51AFD7ED558CCDL;
    hash ^= hash >>> 33;
    hash *= 0xC4CEB9FE1A85EC53L;
    hash ^= hash >>> 33;
    return hash;
  }
}
