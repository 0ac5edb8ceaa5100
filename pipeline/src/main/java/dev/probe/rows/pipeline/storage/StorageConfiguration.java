package dev.probe.rows.pipeline.storage;

import dev.probe.rows.pipeline.UsageException;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The Hadoop configuration of hdfs:// and s3a:// paths in this JVM, as Hadoop's own tools build it:
 * Hadoop's defaults, then the {@code core-site.xml} and {@code hdfs-site.xml} of each folder in
 * {@code HADOOP_CONF_DIR}, then {@code --hadoopProperties}.
 */
final class StorageConfiguration {
  private StorageConfiguration() {}

  static final String CREDENTIALS_PROVIDER = "fs.s3a.aws.credentials.provider";

  /**
   * S3A's own default chain reads fs.s3a.access.key, the environment and the instance role, but not
   * ~/.aws profiles or web identity (EKS); the SDK's default chain adds those.
   */
  static final String CREDENTIALS_CHAIN =
      "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider,"
          + "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider,"
          + "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

  /**
   * @param properties {@code key=value} settings that override the files
   * @throws UsageException when a property is not {@code key=value}
   */
  static Configuration of(List<String> properties, Map<String, String> environment) {
    Configuration configuration = new Configuration();
    String confDirs = environment.getOrDefault("HADOOP_CONF_DIR", "");
    for (String dir : confDirs.split(":")) {
      for (String name : List.of("core-site.xml", "hdfs-site.xml")) {
        File file = new File(dir, name);
        if (!dir.isEmpty() && file.isFile()) {
          configuration.addResource(new Path(file.getAbsolutePath()));
        }
      }
    }
    if (onlyHadoopDefault(configuration, CREDENTIALS_PROVIDER)) {
      configuration.set(CREDENTIALS_PROVIDER, CREDENTIALS_CHAIN);
    }
    for (String property : properties) {
      int equals = property.indexOf('=');
      if (equals <= 0) {
        throw new UsageException(
            "--hadoopProperties takes key=value pairs (values without commas; put such settings"
                + " in core-site.xml), got '"
                + property
                + "'");
      }
      configuration.set(property.substring(0, equals).trim(), property.substring(equals + 1));
    }
    return configuration;
  }

  private static boolean onlyHadoopDefault(Configuration configuration, String key) {
    String[] sources = configuration.getPropertySources(key);
    return sources == null || List.of(sources).equals(List.of("core-default.xml"));
  }
}
