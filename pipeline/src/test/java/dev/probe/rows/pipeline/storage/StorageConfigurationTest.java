package dev.probe.rows.pipeline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.pipeline.UsageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hadoop's defaults, then HADOOP_CONF_DIR, then --hadoopProperties. */
class StorageConfigurationTest {
  @TempDir Path temp;

  private Path confDir(String name, String... properties) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(name));
    StringBuilder xml = new StringBuilder("<configuration>\n");
    for (int i = 0; i < properties.length; i += 2) {
      xml.append(
          String.format(
              "<property><name>%s</name><value>%s</value></property>%n",
              properties[i], properties[i + 1]));
    }
    Files.writeString(
        dir.resolve("core-site.xml"), xml.append("</configuration>"), StandardCharsets.UTF_8);
    return dir;
  }

  @Test
  void hadoopConfDirFoldersAreReadInOrderAndPropertiesOverrideThem() throws Exception {
    Path site = confDir("site", "fs.defaultFS", "hdfs://namenode:8020", "fs.s3a.endpoint", "a");
    Path more = confDir("more", "fs.s3a.path.style.access", "true");
    Configuration configuration =
        StorageConfiguration.of(
            List.of("fs.s3a.endpoint=http://minio:9000"),
            Map.of("HADOOP_CONF_DIR", site + ":" + more + ":" + temp.resolve("missing")));
    assertEquals("hdfs://namenode:8020", configuration.get("fs.defaultFS"));
    assertEquals("true", configuration.get("fs.s3a.path.style.access"));
    assertEquals("http://minio:9000", configuration.get("fs.s3a.endpoint"));
  }

  /** The AWS chain (profiles, web identity) unless the site chose its own credential providers. */
  @Test
  void credentialsFollowTheAwsChainUnlessConfigured() throws Exception {
    assertEquals(
        StorageConfiguration.CREDENTIALS_CHAIN,
        StorageConfiguration.of(List.of(), Map.of())
            .get(StorageConfiguration.CREDENTIALS_PROVIDER));
    Path site =
        confDir(
            "site",
            StorageConfiguration.CREDENTIALS_PROVIDER,
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    assertEquals(
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        StorageConfiguration.of(List.of(), Map.of("HADOOP_CONF_DIR", site.toString()))
            .get(StorageConfiguration.CREDENTIALS_PROVIDER));
  }

  @Test
  void aPropertyWithoutAValueIsAUsageError() {
    UsageException error =
        assertThrows(
            UsageException.class,
            () -> StorageConfiguration.of(List.of("fs.s3a.endpoint"), Map.of()));
    assertTrue(error.getMessage().contains("'fs.s3a.endpoint'"), error.getMessage());
  }
}
