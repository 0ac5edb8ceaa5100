package dev.probe.rows.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.values.KV;

/**
 * A shard's run chunks, as they arrive from the shuffle in any order, handed out again ordered by
 * first event key. Only the first keys are sorted: chunks stay in memory up to a budget and beyond
 * it are appended to one local file and read back when their turn comes, so each chunk is written
 * and read at most once, never sorted or merged on disk.
 */
final class RunsByStart {
  private RunsByStart() {}

  private static final class Entry {
    final byte[] firstEventKey;

    /** The chunk, or null once it is in the file. */
    byte[] chunk;

    long offset;
    int length;

    Entry(byte[] firstEventKey, byte[] chunk) {
      this.firstEventKey = firstEventKey;
      this.chunk = chunk;
    }
  }

  /**
   * Reads all of {@code chunks}, spilling to a file in {@code spillDirectory} beyond {@code
   * memoryBytes}; the file is deleted once the returned iterator is exhausted.
   */
  static Iterator<KV<byte[], byte[]>> order(
      Iterator<KV<byte[], byte[]>> chunks, Path spillDirectory, long memoryBytes) {
    List<Entry> entries = new ArrayList<>();
    Spill spill = null;
    long inMemory = 0;
    try {
      while (chunks.hasNext()) {
        KV<byte[], byte[]> chunk = chunks.next();
        Entry entry = new Entry(chunk.getKey(), chunk.getValue());
        entries.add(entry);
        inMemory += entry.chunk.length;
        if (inMemory > memoryBytes) {
          if (spill == null) {
            spill = new Spill(spillDirectory);
          }
          for (Entry held : entries) {
            spill.write(held);
          }
          inMemory = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill runs to " + spillDirectory, e);
    }
    entries.sort(Comparator.comparing(entry -> entry.firstEventKey, Arrays::compareUnsigned));
    return new InStartOrder(entries, spill);
  }

  private static final class InStartOrder implements Iterator<KV<byte[], byte[]>> {
    private final Iterator<Entry> entries;
    private Spill spill;

    InStartOrder(List<Entry> entries, Spill spill) {
      this.entries = entries.iterator();
      this.spill = spill;
    }

    @Override
    public boolean hasNext() {
      if (entries.hasNext()) {
        return true;
      }
      if (spill != null) {
        spill.delete();
        spill = null;
      }
      return false;
    }

    @Override
    public KV<byte[], byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Entry entry = entries.next();
      byte[] chunk = entry.chunk != null ? entry.chunk : spill.read(entry);
      entry.chunk = null; // the merge holds it from here on, and lets go of it when done
      return KV.of(entry.firstEventKey, chunk);
    }
  }

  /** One append-only file of chunks, read back by position. */
  private static final class Spill {
    private final Path file;
    private final FileChannel channel;
    private long size;

    Spill(Path directory) throws IOException {
      Files.createDirectories(directory);
      file = Files.createTempFile(directory, "runs-", ".spill");
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    void write(Entry entry) throws IOException {
      if (entry.chunk == null) {
        return;
      }
      entry.offset = size;
      entry.length = entry.chunk.length;
      ByteBuffer buffer = ByteBuffer.wrap(entry.chunk);
      while (buffer.hasRemaining()) {
        size += channel.write(buffer, size);
      }
      entry.chunk = null;
    }

    byte[] read(Entry entry) {
      byte[] chunk = new byte[entry.length];
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      try {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, entry.offset + buffer.position()) < 0) {
            throw new IOException("spill file ended early: " + file);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spilled runs from " + file, e);
      }
      return chunk;
    }

    void delete() {
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    }
  }
}
