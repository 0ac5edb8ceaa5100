package dev.probe.rows.parquet;

import dev.probe.rows.events.ByteSink;
import java.util.Arrays;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Hands every value of a probe row on to Parquet's writer and fingerprints what it hands over
 * ({@link EventDigest}): the self-check's output side. It knows where the key and the events lie in
 * a probe row: the key is the message's field 0, and each event is a group three levels down
 * ({@code events} → {@code list} → {@code element}).
 */
final class DigestingConsumer extends RecordConsumer {
  private static final int KEY_FIELD = 0;
  private static final int EVENT_DEPTH = 3;

  private final RecordConsumer out;
  private final ByteSink scratch = new ByteSink(64);
  // Per depth (0: the message): the open group's fingerprint, and its open field's.
  private long[] groups = new long[8];
  private long[] fields = new long[8];
  private int depth;
  private long key;
  private long lastEvent;

  DigestingConsumer(RecordConsumer out) {
    this.out = out;
  }

  /** The fingerprint of the open row's key field. */
  long key() {
    return key;
  }

  /**
   * The {@link EventDigest#groupValue} of the columns of the event handed over since {@link
   * #forgetLastEvent}; 0 if none was.
   */
  long lastEvent() {
    return lastEvent;
  }

  void forgetLastEvent() {
    lastEvent = 0;
  }

  private void value(long digest) {
    fields[depth] = EventDigest.field(fields[depth], digest);
  }

  @Override
  public void startMessage() {
    depth = 0;
    groups[0] = EventDigest.GROUP_SEED;
    out.startMessage();
  }

  @Override
  public void endMessage() {
    out.endMessage();
  }

  @Override
  public void startField(String field, int index) {
    fields[depth] = EventDigest.FIELD_SEED;
    out.startField(field, index);
  }

  @Override
  public void endField(String field, int index) {
    groups[depth] = EventDigest.group(groups[depth], index, fields[depth]);
    if (depth == 0 && index == KEY_FIELD) {
      key = fields[0];
    }
    out.endField(field, index);
  }

  @Override
  public void startGroup() {
    depth++;
    if (depth == groups.length) {
      groups = Arrays.copyOf(groups, 2 * depth);
      fields = Arrays.copyOf(fields, 2 * depth);
    }
    groups[depth] = EventDigest.GROUP_SEED;
    out.startGroup();
  }

  @Override
  public void endGroup() {
    long group = EventDigest.groupValue(groups[depth]);
    if (depth == EVENT_DEPTH) {
      lastEvent = group;
    }
    depth--;
    value(group);
    out.endGroup();
  }

  @Override
  public void addInteger(int value) {
    value(EventDigest.ofLong(value));
    out.addInteger(value);
  }

  @Override
  public void addLong(long value) {
    value(EventDigest.ofLong(value));
    out.addLong(value);
  }

  @Override
  public void addBoolean(boolean value) {
    value(EventDigest.ofLong(value ? 1 : 0));
    out.addBoolean(value);
  }

  @Override
  public void addBinary(Binary value) {
    value(EventDigest.ofBinary(value, scratch));
    out.addBinary(value);
  }

  @Override
  public void addFloat(float value) {
    value(EventDigest.ofLong(Float.floatToRawIntBits(value)));
    out.addFloat(value);
  }

  @Override
  public void addDouble(double value) {
    value(EventDigest.ofLong(Double.doubleToRawLongBits(value)));
    out.addDouble(value);
  }

  @Override
  public void flush() {
    out.flush();
  }
}
