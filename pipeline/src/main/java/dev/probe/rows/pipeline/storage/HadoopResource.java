package dev.probe.rows.pipeline.storage;

import java.util.Objects;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.fs.Path;

/**
 * A file or folder of a Hadoop filesystem, named by its fully qualified URI ({@code
 * hdfs://namenode:8020/events/}, {@code s3a://bucket/events/}). A folder's name ends with {@code
 * /}, as Beam expects.
 */
final class HadoopResource implements ResourceId {
  private final Path path;
  private final boolean directory;

  HadoopResource(Path path, boolean directory) {
    this.path = path;
    this.directory = directory;
  }

  Path path() {
    return path;
  }

  @Override
  public ResourceId resolve(String other, ResolveOptions options) {
    if (!directory) {
      throw new IllegalStateException("cannot resolve " + other + " against the file " + this);
    }
    return new HadoopResource(
        new Path(path, other), options == StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  @Override
  public ResourceId getCurrentDirectory() {
    return directory || path.getParent() == null
        ? this
        : new HadoopResource(path.getParent(), true);
  }

  @Override
  public String getScheme() {
    return path.toUri().getScheme();
  }

  @Override
  public String getFilename() {
    return path.getName().isEmpty() ? null : path.getName();
  }

  @Override
  public boolean isDirectory() {
    return directory;
  }

  @Override
  public String toString() {
    String name = path.toString();
    return directory && !name.endsWith("/") ? name + "/" : name;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HadoopResource
        && ((HadoopResource) other).path.equals(path)
        && ((HadoopResource) other).directory == directory;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, directory);
  }
}
