package dev.probe.rows.storage;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Proxy, an S3-compatible server that checks request signatures, in a JVM of its own on the
 * loopback interface. Objects are files under its folder, so a restarted server still has them.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "probe-rows-it";
  static final String SECRET_KEY = "probe-rows-it-secret";

  private final Path jar;
  private final Path home;
  private final int port;
  private Process process;

  S3Server(Path jar, Path home, int port) {
    this.jar = jar;
    this.home = home;
    this.port = port;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  void start() throws Exception {
    Files.createDirectories(home.resolve("objects"));
    Path properties = home.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + home.resolve("objects"),
            ""),
        StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--properties");
    command.add(properties.toString());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("s3proxy.log").toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "S3Proxy did not start; see " + home.resolve("s3proxy.log"));
      }
      Thread.sleep(100);
    }
  }

  private boolean listening() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server at once, as a crash would. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  /** The tests' own S3 client: the AWS SDK, not the S3A connector under test. */
  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  static void upload(S3Client s3, String bucket, String prefix, Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        s3.putObject(
            b -> b.bucket(bucket).key(prefix + file.getFileName()), RequestBody.fromFile(file));
      }
    }
  }

  /** Every object under {@code prefix}, as files under {@code target}; folder markers skipped. */
  static List<String> download(S3Client s3, String bucket, String prefix, Path target)
      throws IOException {
    List<String> names = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      String name = object.key().substring(prefix.length());
      if (name.isEmpty() || name.endsWith("/")) {
        continue;
      }
      Path file = target.resolve(name);
      Files.createDirectories(file.getParent());
      s3.getObject(b -> b.bucket(bucket).key(object.key()), file);
      names.add(name);
    }
    return names;
  }
}
