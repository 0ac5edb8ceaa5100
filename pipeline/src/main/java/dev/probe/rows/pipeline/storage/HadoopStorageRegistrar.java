package dev.probe.rows.pipeline.storage;

import dev.probe.rows.pipeline.StorageOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.hadoop.conf.Configuration;

/**
 * Registers hdfs://, webhdfs://, viewfs:// and s3a:// paths with Beam's {@link
 * org.apache.beam.sdk.io.FileSystems}, all with one configuration (see {@link
 * StorageConfiguration}). Beam calls it in every JVM that runs the job: the client and each worker
 * build their configuration from their own {@code HADOOP_CONF_DIR}, and {@code --hadoopProperties},
 * part of the job's options, reaches them all.
 */
public final class HadoopStorageRegistrar implements FileSystemRegistrar {
  /** Schemes whose Hadoop filesystems are in the runnable jar; file:// stays Beam's own. */
  static final List<String> SCHEMES = List.of("hdfs", "webhdfs", "viewfs", "s3a");

  @Override
  public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
    Configuration configuration =
        StorageConfiguration.of(
            options.as(StorageOptions.class).getHadoopProperties(), System.getenv());
    List<FileSystem<?>> fileSystems = new ArrayList<>();
    for (String scheme : SCHEMES) {
      fileSystems.add(new HadoopStorage(scheme, configuration));
    }
    return fileSystems;
  }
}
