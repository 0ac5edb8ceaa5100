package dev.probe.rows.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A file whose footer annotates a column with a logical type newer than this Parquet library
 * (GEOMETRY, say), which fails the library's footer conversion. As the format asks of a reader that
 * does not know an annotation, such a column is read as its physical type: the file is presented
 * with the same bytes before its footer and a footer without the unknown annotations.
 */
final class UnknownLogicalTypes {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private UnknownLogicalTypes() {}

  /** {@code file} without its unknown logical types, or null when it has none. */
  static InputFile removed(InputFile file) throws IOException {
    long length = file.getLength();
    if (length < 12) {
      return null;
    }
    byte[] tail = new byte[8];
    try (SeekableInputStream in = file.newStream()) {
      in.seek(length - 8);
      in.readFully(tail);
      if (!Arrays.equals(tail, 4, 8, MAGIC, 0, 4)) {
        return null;
      }
      int footerLength =
          (tail[0] & 0xFF) | (tail[1] & 0xFF) << 8 | (tail[2] & 0xFF) << 16 | (tail[3] & 0xFF) << 24;
      if (footerLength < 0 || footerLength > length - 12) {
        return null;
      }
      byte[] footer = new byte[footerLength];
      in.seek(length - 8 - footerLength);
      in.readFully(footer);
      FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
      boolean removed = false;
      for (SchemaElement element : metadata.getSchema()) {
        // Thrift leaves a union whose member it does not know with no member set.
        if (element.isSetLogicalType() && element.getLogicalType().getSetField() == null) {
          element.unsetLogicalType();
          removed = true;
        }
      }
      if (!removed) {
        return null;
      }
      ByteArrayOutputStream newTail = new ByteArrayOutputStream();
      Util.writeFileMetaData(metadata, newTail);
      int newLength = newTail.size();
      newTail.write(new byte[] {(byte) newLength, (byte) (newLength >>> 8),
        (byte) (newLength >>> 16), (byte) (newLength >>> 24)});
      newTail.write(MAGIC);
      return new Repaired(file, length - 8 - footerLength, newTail.toByteArray());
    }
  }

  /** The file's bytes up to {@code footerStart}, then {@code tail}. */
  private static final class Repaired implements InputFile {
    private final InputFile file;
    private final long footerStart;
    private final byte[] tail;

    Repaired(InputFile file, long footerStart, byte[] tail) {
      this.file = file;
      this.footerStart = footerStart;
      this.tail = tail;
    }

    @Override
    public long getLength() {
      return footerStart + tail.length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableInputStream data = file.newStream();
      long[] position = {0};
      InputStream bytes =
          new InputStream() {
            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
              if (length == 0) {
                return 0;
              }
              int read;
              if (position[0] < footerStart) {
                if (data.getPos() != position[0]) {
                  data.seek(position[0]);
                }
                read = data.read(buffer, offset, (int) Math.min(length, footerStart - position[0]));
              } else if (position[0] < getLength()) {
                int at = (int) (position[0] - footerStart);
                read = Math.min(length, tail.length - at);
                System.arraycopy(tail, at, buffer, offset, read);
              } else {
                return -1;
              }
              if (read > 0) {
                position[0] += read;
              }
              return read;
            }

            @Override
            public void close() throws IOException {
              data.close();
            }
          };
      return new DelegatingSeekableInputStream(bytes) {
        @Override
        public long getPos() {
          return position[0];
        }

        @Override
        public void seek(long newPos) {
          position[0] = newPos;
        }
      };
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }
}
