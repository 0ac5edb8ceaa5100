package dev.probe.rows.pipeline.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemUtils;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.MatchResult.Status;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * One URI scheme ({@code hdfs}, {@code s3a}, ...) of Hadoop's filesystems, as a Beam {@link
 * FileSystem}. Beam's own {@code HadoopFileSystemRegistrar} (2.62) registers only the default
 * filesystem of a single Hadoop configuration; {@link HadoopStorageRegistrar} registers one of
 * these per scheme, so one run can read HDFS and write S3.
 *
 * <p>Paths are qualified on the way in ({@code hdfs:///events} becomes {@code
 * hdfs://namenode:8020/events}), so what {@link #match} lists starts with the folder it was asked
 * about.
 */
final class HadoopStorage extends FileSystem<HadoopResource> {
  private final String scheme;
  private final Configuration configuration;

  HadoopStorage(String scheme, Configuration configuration) {
    this.scheme = scheme;
    this.configuration = configuration;
  }

  @Override
  protected String getScheme() {
    return scheme;
  }

  @Override
  protected List<MatchResult> match(List<String> specs) {
    List<MatchResult> results = new ArrayList<>();
    for (String spec : specs) {
      try {
        List<Metadata> files = matchOne(qualified(new Path(spec)));
        results.add(
            files.isEmpty()
                ? MatchResult.create(Status.NOT_FOUND, List.of())
                : MatchResult.create(Status.OK, files));
      } catch (IOException e) {
        results.add(MatchResult.create(Status.ERROR, e));
      }
    }
    return results;
  }

  /**
   * Hadoop's glob, except for Beam's {@code **}, which crosses folders: everything under the folder
   * before it is listed (one flat listing on S3) and filtered.
   */
  private List<Metadata> matchOne(Path pattern) throws IOException {
    org.apache.hadoop.fs.FileSystem fs = pattern.getFileSystem(configuration);
    List<Metadata> matches = new ArrayList<>();
    String spec = pattern.toString();
    int recursive = spec.indexOf("**");
    if (recursive < 0) {
      FileStatus[] statuses = fs.globStatus(pattern);
      for (FileStatus status : statuses == null ? new FileStatus[0] : statuses) {
        matches.add(metadata(status));
      }
      return matches;
    }
    Path base = new Path(spec.substring(0, spec.lastIndexOf('/', recursive) + 1));
    Pattern regex = Pattern.compile(FileSystemUtils.wildcardToRegexp(spec));
    try {
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(base, true);
      while (files.hasNext()) {
        LocatedFileStatus file = files.next();
        if (regex.matcher(file.getPath().toString()).matches()) {
          matches.add(metadata(file));
        }
      }
    } catch (FileNotFoundException e) {
      // No folder, no files.
    }
    return matches;
  }

  private static Metadata metadata(FileStatus status) {
    return Metadata.builder()
        .setResourceId(new HadoopResource(status.getPath(), status.isDirectory()))
        .setIsReadSeekEfficient(true)
        .setSizeBytes(status.getLen())
        .setLastModifiedMillis(status.getModificationTime())
        .build();
  }

  @Override
  protected HadoopResource matchNewResource(String spec, boolean isDirectory) {
    if (spec.endsWith("/") && !isDirectory) {
      throw new IllegalArgumentException("expected a file, got the folder " + spec);
    }
    try {
      return new HadoopResource(qualified(new Path(spec)), isDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + spec + ": " + e.getMessage(), e);
    }
  }

  /** The path with the default filesystem's authority when it has none ({@code hdfs:///x}). */
  private Path qualified(Path path) throws IOException {
    return path.toUri().getAuthority() == null
        ? path.getFileSystem(configuration).makeQualified(path)
        : path;
  }

  @Override
  protected WritableByteChannel create(HadoopResource resource, CreateOptions options)
      throws IOException {
    return Channels.newChannel(fileSystem(resource).create(resource.path(), true));
  }

  @Override
  protected ReadableByteChannel open(HadoopResource resource) throws IOException {
    org.apache.hadoop.fs.FileSystem fs = fileSystem(resource);
    return new SeekableChannel(fs, resource.path(), fs.open(resource.path()));
  }

  @Override
  protected void copy(List<HadoopResource> sources, List<HadoopResource> targets)
      throws IOException {
    for (int i = 0; i < sources.size(); i++) {
      org.apache.hadoop.fs.FileSystem from = fileSystem(sources.get(i));
      org.apache.hadoop.fs.FileSystem to = fileSystem(targets.get(i));
      if (!FileUtil.copy(
          from, sources.get(i).path(), to, targets.get(i).path(), false, true, configuration)) {
        throw new IOException("cannot copy " + sources.get(i) + " to " + targets.get(i));
      }
    }
  }

  /**
   * Moves each file; the target's folder is created first, since HDFS will not create it. On S3
   * this is a copy and a delete. Beam's {@code FileSystems} has already applied the options.
   */
  @Override
  protected void rename(
      List<HadoopResource> sources, List<HadoopResource> targets, MoveOptions... options)
      throws IOException {
    for (int i = 0; i < sources.size(); i++) {
      Path source = sources.get(i).path();
      Path target = targets.get(i).path();
      org.apache.hadoop.fs.FileSystem fs = fileSystem(sources.get(i));
      if (!fs.exists(target.getParent())) {
        fs.mkdirs(target.getParent());
      }
      if (!fs.rename(source, target)) {
        String why =
            !fs.exists(source)
                ? "it does not exist"
                : fs.exists(target) ? "the target exists" : "the store refused";
        throw new IOException("cannot move " + source + " to " + target + ": " + why);
      }
    }
  }

  /** Deletes files, and folders with what they hold. */
  @Override
  protected void delete(Collection<HadoopResource> resources) throws IOException {
    for (HadoopResource resource : resources) {
      fileSystem(resource).delete(resource.path(), resource.isDirectory());
    }
  }

  private org.apache.hadoop.fs.FileSystem fileSystem(HadoopResource resource) throws IOException {
    return resource.path().getFileSystem(configuration);
  }

  /** A Hadoop input stream as the seekable channel that Parquet's reader needs. */
  private static final class SeekableChannel implements SeekableByteChannel {
    private final org.apache.hadoop.fs.FileSystem fs;
    private final Path path;
    private final FSDataInputStream in;
    private boolean open = true;

    SeekableChannel(org.apache.hadoop.fs.FileSystem fs, Path path, FSDataInputStream in) {
      this.fs = fs;
      this.path = path;
      this.in = in;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
      int read;
      if (target.hasArray()) {
        // Not every Hadoop stream can read into a ByteBuffer.
        read =
            in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
        if (read > 0) {
          target.position(target.position() + read);
        }
      } else {
        read = in.read(target);
      }
      return read;
    }

    @Override
    public long position() throws IOException {
      return in.getPos();
    }

    @Override
    public SeekableByteChannel position(long position) throws IOException {
      in.seek(position);
      return this;
    }

    @Override
    public long size() throws IOException {
      return fs.getFileStatus(path).getLen();
    }

    @Override
    public int write(ByteBuffer source) {
      throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      open = false;
      in.close();
    }
  }
}
