package dev.probe.rows.pipeline;

import dev.probe.rows.pipeline.storage.HadoopStorageRegistrar;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How hdfs:// and s3a:// paths are reached: see {@link HadoopStorageRegistrar}. */
public interface StorageOptions extends PipelineOptions {
  @Description(
      "Hadoop settings for hdfs:// and s3a:// paths, over the core-site.xml and hdfs-site.xml in"
          + " HADOOP_CONF_DIR, which every machine reads for itself: key=value, comma-separated"
          + " or repeated, e.g. fs.s3a.endpoint=http://minio:9000,fs.s3a.path.style.access=true."
          + " Sent with the job to every worker.")
  @Default.InstanceFactory(ProbeRowsOptions.EmptyList.class)
  List<String> getHadoopProperties();

  void setHadoopProperties(List<String> hadoopProperties);
}
