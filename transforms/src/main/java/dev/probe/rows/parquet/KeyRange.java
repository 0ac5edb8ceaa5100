package dev.probe.rows.parquet;

import dev.probe.rows.InputPlan;
import dev.probe.rows.InvalidInputException;
import dev.probe.rows.ProbeRowSchema;
import dev.probe.rows.events.ByteSink;
import dev.probe.rows.events.EventKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType;

/**
 * The lowest and highest key of a row group, from its footer's statistics, as event key prefixes
 * (see {@link EventKeys}), so that they compare with events' keys byte by byte.
 *
 * <p>Input sorted by key, as a sorting writer leaves it, gives row groups whose ranges meet at most
 * at their ends. A key strictly inside such a range is then in that row group alone: its reader may
 * write that key's probe row itself, with no shuffle and no merge ({@link #plan}).
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class KeyRange implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where a key lies relative to a range. */
  public enum Place {
    BELOW,
    LOWEST,
    INSIDE,
    HIGHEST,
    ABOVE
  }

  private final byte[] lowest;
  private final byte[] highest;
  private final boolean exclusive;

  /** Both bounds are escaped keys with their terminator, as {@link EventKeys#appendKey} writes. */
  KeyRange(byte[] lowest, byte[] highest) {
    this(lowest, highest, false);
  }

  KeyRange(byte[] lowest, byte[] highest, boolean exclusive) {
    this.lowest = lowest;
    this.highest = highest;
    this.exclusive = exclusive;
  }

  /** Writes a range, or null, for {@link FileSlice#CODER}. */
  static void encode(KeyRange range, OutputStream out) throws IOException {
    if (range == null) {
      out.write(0);
      return;
    }
    out.write(range.exclusive ? 2 : 1);
    ByteArrayCoder.of().encode(range.lowest, out);
    ByteArrayCoder.of().encode(range.highest, out);
  }

  static KeyRange decode(InputStream in) throws IOException {
    int tag = in.read();
    if (tag == 0) {
      return null;
    }
    if (tag != 1 && tag != 2) {
      throw new IOException("not an encoded key range: tag " + tag);
    }
    return new KeyRange(ByteArrayCoder.of().decode(in), ByteArrayCoder.of().decode(in), tag == 2);
  }

  /** The lowest key, escaped with its terminator. */
  byte[] lowest() {
    return lowest;
  }

  /** The highest key, escaped with its terminator. */
  byte[] highest() {
    return highest;
  }

  /** Whether every key strictly inside the range is in this range's row group alone. */
  public boolean exclusive() {
    return exclusive;
  }

  /** Where the key {@code eventKey[0, keyEnd)} lies. */
  Place place(byte[] eventKey, int keyEnd) {
    int toLowest = Arrays.compareUnsigned(eventKey, 0, keyEnd, lowest, 0, lowest.length);
    if (toLowest <= 0) {
      return toLowest == 0 ? Place.LOWEST : Place.BELOW;
    }
    int toHighest = Arrays.compareUnsigned(eventKey, 0, keyEnd, highest, 0, highest.length);
    if (toHighest >= 0) {
      return toHighest == 0 ? Place.HIGHEST : Place.ABOVE;
    }
    return Place.INSIDE;
  }

  /** Each slice's range from its footer statistics, null where they cannot tell. */
  public static List<KeyRange> of(InputPlan plan, ProbeRowSchema schema) {
    List<KeyRange> ranges = new ArrayList<>();
    for (Statistics<?> statistics : plan.statistics(schema.keyColumn())) {
      ranges.add(of(schema, statistics));
    }
    return ranges;
  }

  /**
   * Whether each slice's statistics say that its keys are all null: such a row group holds no
   * event, and has no range.
   */
  public static List<Boolean> keyless(InputPlan plan, ProbeRowSchema schema) {
    List<Boolean> keyless = new ArrayList<>();
    List<Statistics<?>> all = plan.statistics(schema.keyColumn());
    for (int i = 0; i < all.size(); i++) {
      Statistics<?> statistics = all.get(i);
      keyless.add(
          statistics != null
              && !statistics.hasNonNullValue()
              && statistics.isNumNullsSet()
              && statistics.getNumNulls() == plan.slices().get(i).rowCount());
    }
    return keyless;
  }

  /**
   * A row group's key range from its footer statistics, or null when they are missing or order keys
   * differently from their bytes: signed integers with negative values, or binary statistics
   * parquet-mr does not trust.
   */
  private static KeyRange of(ProbeRowSchema schema, Statistics<?> statistics) {
    if (statistics == null || statistics.isEmpty() || !statistics.hasNonNullValue()) {
      return null;
    }
    PrimitiveType keyType = schema.readSchema().getType(schema.keyColumn()).asPrimitiveType();
    ByteSink lowest = new ByteSink(32);
    ByteSink highest = new ByteSink(32);
    switch (keyType.getPrimitiveTypeName()) {
      case INT32:
        int intMin = (Integer) statistics.genericGetMin();
        if (RowEncoder.isSigned(keyType) && intMin < 0) {
          return null;
        }
        lowest.writeInt(intMin);
        highest.writeInt((Integer) statistics.genericGetMax());
        break;
      case INT64:
        long longMin = (Long) statistics.genericGetMin();
        if (RowEncoder.isSigned(keyType) && longMin < 0) {
          return null;
        }
        lowest.writeLong(longMin);
        highest.writeLong((Long) statistics.genericGetMax());
        break;
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        if (statistics.comparator()
            != PrimitiveComparator.UNSIGNED_LEXICOGRAPHICAL_BINARY_COMPARATOR) {
          return null;
        }
        lowest.writeBytes(((Binary) statistics.genericGetMin()).getBytes());
        highest.writeBytes(((Binary) statistics.genericGetMax()).getBytes());
        break;
      default:
        return null;
    }
    return new KeyRange(escaped(lowest), escaped(highest));
  }

  private static byte[] escaped(ByteSink raw) {
    ByteSink key = new ByteSink(raw.size() + 2);
    EventKeys.appendKey(key, raw.array(), 0, raw.size());
    return key.toByteArray();
  }

  /**
   * The slices, each given its range, marked {@link #exclusive} where no other slice's range
   * reaches inside it. Readers check every row against its slice's range, so a file whose
   * statistics lie fails instead of yielding a key twice. If any slice's range is unknown, that
   * slice might hold any key: the slices are returned as they are.
   *
   * @param ranges each slice's range, or null where its statistics cannot tell
   */
  public static List<FileSlice> plan(List<FileSlice> slices, List<KeyRange> ranges) {
    if (ranges.contains(null)) {
      return slices;
    }
    List<FileSlice> planned = new ArrayList<>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      KeyRange range = ranges.get(i);
      boolean alone = Arrays.compareUnsigned(range.lowest, range.highest) < 0;
      for (int j = 0; alone && j < slices.size(); j++) {
        alone = j == i || !ranges.get(j).reachesInside(range);
      }
      planned.add(
          slices
              .get(i)
              .withKeyRange(alone ? new KeyRange(range.lowest, range.highest, true) : range));
    }
    return planned;
  }

  /** Whether this range holds a key strictly between {@code other}'s ends. */
  private boolean reachesInside(KeyRange other) {
    return Arrays.compareUnsigned(lowest, other.highest) < 0
        && Arrays.compareUnsigned(highest, other.lowest) > 0;
  }

  /**
   * Where the row's key lies in its row group's range. Other row groups write the keys of their
   * exclusive ranges themselves, trusting every row group's statistics: a key outside its row
   * group's range could be written twice, so it fails the run.
   */
  public static Place placeOf(FileSlice slice, SliceReader row) {
    KeyRange range = slice.keyRange();
    if (range == null) {
      return Place.INSIDE;
    }
    Place place = range.place(row.eventKey().array(), row.keyEnd());
    if (place == Place.BELOW || place == Place.ABOVE) {
      throw new DamagedStatistics(slice);
    }
    return place;
  }

  /**
   * Where a merging key window reads the row's key, it must lie in its row group's range: a key
   * outside would be read by no window, or by two. A row group without a range is one whose
   * statistics say its keys are all null.
   */
  public static void checkMerged(FileSlice slice, SliceReader row) {
    if (slice.keyRange() == null) {
      throw new DamagedStatistics(slice);
    }
    placeOf(slice, row);
  }

  /**
   * A row group holds a key outside the range its footer's statistics give. Only reading runs as
   * read trusts those statistics; sorting runs does not use them.
   */
  public static final class DamagedStatistics extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    DamagedStatistics(FileSlice slice) {
      super(
          slice
              + " holds a key outside the range its footer's statistics give: the file is"
              + " damaged");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyRange
        && Arrays.equals(lowest, ((KeyRange) other).lowest)
        && Arrays.equals(highest, ((KeyRange) other).highest)
        && exclusive == ((KeyRange) other).exclusive;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(lowest) + Arrays.hashCode(highest)) + (exclusive ? 1 : 0);
  }
}
