package dev.probe.rows.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.probe.rows.testing.DuckDb;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The runnable jar reading and writing HDFS (a MiniDFSCluster: a NameNode and a DataNode in this
 * JVM) and an S3-compatible server (S3Proxy, in a JVM of its own), configured as a user configures
 * it: {@code HADOOP_CONF_DIR} with a core-site.xml that names the default filesystem and the S3
 * endpoint, and AWS credentials from a profile file. Output is copied out of the store and judged
 * by DuckDB against the input.
 *
 * <p>Run by maven-failsafe after runners/ built the jar: {@code mvn verify -pl storage-it -am
 * -Dit.test=DistributedStorageIT}. The servers' files and each run's output stay in {@code
 * storage-it/target/storage-it/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedStorageIT {
  private static final String BUCKET = "events";

  /** Long enough on two cores that a store stopped once reading has begun stops it mid-run. */
  private static final int LARGE_EVENTS = 1_000_000;

  private static final Pattern PROGRESS = Pattern.compile("read ([\\d,]+) of [\\d,]+ rows");

  private static Path work;
  private static Path testdata;
  private static MiniDFSCluster hdfs;
  private static S3Server s3;
  private static S3Client s3Client;
  private static ProbeRowsJar jar;

  @BeforeAll
  static void startStores() throws Exception {
    work = Path.of(System.getProperty("storageIt.work"));
    deleteRecursively(work);
    Files.createDirectories(work.resolve("logs"));
    testdata = Path.of(System.getProperty("probeRows.testdata"));
    Path jarFile = Path.of(System.getProperty("probeRows.jar"));
    assertTrue(Files.isRegularFile(jarFile), jarFile + " is missing: build runners/ first");

    Configuration hdfsConf = new HdfsConfiguration();
    // A fixed port, so that a restarted NameNode is where the runs' configuration says.
    hdfs =
        new MiniDFSCluster.Builder(hdfsConf, work.resolve("hdfs").toFile())
            .nameNodePort(freePort())
            .numDataNodes(1)
            .build();
    hdfs.waitActive();
    hdfs.getFileSystem().copyFromLocalFile(false, true, hdfsPath(testdata), hdfsPath("/events"));

    s3 = new S3Server(Path.of(System.getProperty("s3proxy.jar")), work.resolve("s3"), freePort());
    s3.start();
    s3Client = s3.client();
    s3Client.createBucket(b -> b.bucket(BUCKET));
    S3Server.upload(s3Client, BUCKET, "in/", testdata);

    jar =
        new ProbeRowsJar(
            jarFile,
            work.resolve("logs"),
            Map.of(
                "HADOOP_CONF_DIR", writeHadoopConf().toString(),
                "AWS_SHARED_CREDENTIALS_FILE", writeAwsProfile().toString(),
                "AWS_CONFIG_FILE", work.resolve("no-aws-config").toString(),
                // No credentials found must not send the SDK to the cloud's metadata address.
                "AWS_EC2_METADATA_DISABLED", "true"));
  }

  /**
   * What a user writes in core-site.xml: the default filesystem, and where the S3-compatible store
   * is. Retries are cut short: the defaults retry for a minute or more before a run fails, right on
   * a cluster, too slow for tests of what happens after.
   */
  private static Path writeHadoopConf() throws IOException {
    Path dir = Files.createDirectories(work.resolve("hadoop-conf"));
    Map<String, String> properties =
        Map.of(
            "fs.defaultFS", hdfs.getURI().toString(),
            "fs.s3a.endpoint", s3.endpoint(),
            "fs.s3a.path.style.access", "true",
            "fs.s3a.retry.limit", "1",
            "fs.s3a.retry.interval", "100ms",
            "fs.s3a.attempts.maximum", "1",
            "ipc.client.connect.max.retries", "1",
            "ipc.client.connect.retry.interval", "100");
    StringBuilder xml = new StringBuilder("<configuration>\n");
    properties.forEach(
        (name, value) ->
            xml.append("  <property><name>")
                .append(name)
                .append("</name><value>")
                .append(value)
                .append("</value></property>\n"));
    Files.writeString(
        dir.resolve("core-site.xml"), xml.append("</configuration>\n"), StandardCharsets.UTF_8);
    return dir;
  }

  /** ~/.aws/credentials, which S3A's own default chain would not read. */
  private static Path writeAwsProfile() throws IOException {
    return Files.writeString(
        work.resolve("aws-credentials"),
        "[default]\naws_access_key_id = "
            + S3Server.ACCESS_KEY
            + "\naws_secret_access_key = "
            + S3Server.SECRET_KEY
            + "\n",
        StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stopStores() throws Exception {
    if (s3Client != null) {
      s3Client.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  // --- round trips -----------------------------------------------------------------------------

  @Test
  @Order(1)
  void hdfsRoundTrip() throws Exception {
    // hdfs:/// takes the NameNode from fs.defaultFS in HADOOP_CONF_DIR.
    ProbeRowsJar.Result run =
        jar.run("hdfs", "run", "--input=hdfs:///events/*.parquet", "--output=hdfs:///probe-rows");
    assertEquals(0, run.exit(), run::toString);
    assertTrue(run.out().contains("read 100,000 rows from 2 files"), run::toString);
    assertCommitted(hdfsNames("/probe-rows"), run);
    assertFalse(hdfs.getFileSystem().exists(hdfsPath("/.probe-rows.probe-rows")), run::toString);
    assertMatchesDuckDb(copyOutOfHdfs("/probe-rows"));

    ProbeRowsJar.Result diagnose =
        jar.run("hdfs-diagnose", "diagnose", "--input=hdfs:///events/*.parquet");
    assertEquals(0, diagnose.exit(), diagnose::toString);
    assertTrue(diagnose.out().contains("100,000 rows in 2 files"), diagnose::toString);
    assertEquals("", diagnose.err(), "diagnose should log nothing");
  }

  @Test
  @Order(2)
  void s3RoundTrip() throws Exception {
    ProbeRowsJar.Result run =
        jar.run(
            "s3", "run", "--input=s3a://events/in/*.parquet", "--output=s3a://events/probe-rows");
    assertEquals(0, run.exit(), run::toString);
    assertTrue(run.out().contains("read 100,000 rows from 2 files"), run::toString);
    Path local = work.resolve("copied/s3");
    assertCommitted(topLevel(S3Server.download(s3Client, BUCKET, "probe-rows/", local)), run);
    assertEquals(
        List.of(),
        S3Server.download(s3Client, BUCKET, ".probe-rows.probe-rows/", work.resolve("x")),
        run::toString);
    assertMatchesDuckDb(local);

    ProbeRowsJar.Result diagnose =
        jar.run("s3-diagnose", "diagnose", "--input=s3a://events/in/*.parquet");
    assertEquals(0, diagnose.exit(), diagnose::toString);
    assertTrue(diagnose.out().contains("100,000 rows in 2 files"), diagnose::toString);
  }

  /** One run, two stores: an explicit NameNode address in, S3 out. */
  @Test
  @Order(3)
  void hdfsToS3() throws Exception {
    ProbeRowsJar.Result run =
        jar.run(
            "hdfs-to-s3",
            "run",
            "--input=" + hdfs.getURI() + "/events/*.parquet",
            "--output=s3a://events/from-hdfs");
    assertEquals(0, run.exit(), run::toString);
    Path local = work.resolve("copied/from-hdfs");
    assertCommitted(topLevel(S3Server.download(s3Client, BUCKET, "from-hdfs/", local)), run);
    assertMatchesDuckDb(local);
  }

  // --- one writer per output ---------------------------------------------------------------------

  @Test
  @Order(4)
  void ofTwoConcurrentRunsOnHdfsExactlyOneWritesTheOutput() throws Exception {
    Path local =
        assertOneOfTwoWrites(
            "hdfs:///concurrent",
            () -> hdfsNames("/concurrent"),
            () -> copyOutOfHdfs("/concurrent"));
    assertFalse(hdfs.getFileSystem().exists(hdfsPath("/.concurrent.probe-rows")));
    assertMatchesDuckDb(local);
  }

  @Test
  @Order(4)
  void ofTwoConcurrentRunsOnS3ExactlyOneWritesTheOutput() throws Exception {
    Path local = work.resolve("copied/concurrent");
    assertOneOfTwoWrites(
        "s3a://events/concurrent",
        () -> topLevel(S3Server.download(s3Client, BUCKET, "concurrent/", local)),
        () -> local);
    assertEquals(
        List.of(),
        S3Server.download(s3Client, BUCKET, ".concurrent.probe-rows/", work.resolve("x")));
    assertMatchesDuckDb(local);
  }

  /**
   * A run on S3 that ended without cleaning up (its process is gone) is reported with its owner
   * and age, and --overwrite takes the output over and removes its staging folder.
   */
  @Test
  @Order(4)
  void anEndedRunOnS3IsReportedAndTakenOver() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path left = Files.createDirectories(work.resolve("left/work"));
    Files.writeString(
        left.resolve("claim-deadrun"),
        String.join(
            "\n",
            "run=deadrun",
            "user=tester",
            "host=" + java.net.InetAddress.getLocalHost().getHostName(),
            "pid=" + ended.pid(),
            "started=" + java.time.Instant.now().minusSeconds(600),
            "spill=",
            ""));
    Path staged = Files.createDirectories(work.resolve("left/staging"));
    Files.writeString(staged.resolve("part-00000-of-00001.parquet.x"), "half a shard");
    S3Server.upload(s3Client, BUCKET, ".taken-over.probe-rows/", left);
    S3Server.upload(s3Client, BUCKET, ".taken-over.probe-rows/deadrun/", staged);

    String[] args = {
      "run", "--input=s3a://events/in/*.parquet", "--output=s3a://events/taken-over"
    };
    ProbeRowsJar.Result reported = jar.run("s3-ended", args);
    assertEquals(3, reported.exit(), reported::toString);
    assertTrue(
        reported
            .err()
            .strip()
            .matches(
                "probe-rows: --output=s3a://events/taken-over/ was left by run deadrun of"
                    + " tester@\\S+ \\(pid \\d+\\), started \\S+, 10 min ago, which ended"
                    + " without cleaning up; rerun with --overwrite to take it over"),
        reported::toString);

    ProbeRowsJar.Result takenOver =
        jar.run(
            "s3-take-over",
            Stream.concat(Stream.of(args), Stream.of("--overwrite")).toArray(String[]::new));
    assertEquals(0, takenOver.exit(), takenOver::toString);
    assertEquals(
        List.of(),
        S3Server.download(s3Client, BUCKET, ".taken-over.probe-rows/", work.resolve("x")),
        takenOver::toString);
    Path local = work.resolve("copied/taken-over");
    assertCommitted(
        topLevel(S3Server.download(s3Client, BUCKET, "taken-over/", local)), takenOver);
    assertMatchesDuckDb(local);
  }

  interface Listing<T> {
    T get() throws Exception;
  }

  /**
   * Starts two runs on {@code output} at once, with 2 and 3 shards: exactly one exits 0, the other
   * exits 3 with one line naming the run that holds the output, and the folder holds exactly the
   * winner's files. Returns the local copy of the output.
   */
  private static Path assertOneOfTwoWrites(
      String output, Listing<Set<String>> names, Listing<Path> copy) throws Exception {
    String store = output.startsWith("s3a") ? "s3" : "hdfs";
    String input =
        store.equals("s3") ? "s3a://events/in/*.parquet" : "hdfs:///events/*.parquet";
    List<ProbeRowsJar.Started> runs = new ArrayList<>();
    for (int shards : new int[] {2, 3}) {
      runs.add(
          jar.start(
              "concurrent-" + store + "-" + shards,
              "run",
              "--input=" + input,
              "--output=" + output,
              "--numShards=" + shards,
              "--assumeOrdered=false"));
    }
    ProbeRowsJar.Result two = runs.get(0).await(Duration.ofMinutes(3));
    ProbeRowsJar.Result three = runs.get(1).await(Duration.ofMinutes(3));
    String both = two + "\n" + three;
    assertTrue((two.exit() == 0) != (three.exit() == 0), "exactly one must succeed:\n" + both);
    ProbeRowsJar.Result loser = two.exit() == 0 ? three : two;
    int winnerShards = two.exit() == 0 ? 2 : 3;
    assertEquals(3, loser.exit(), both);
    assertTrue(
        loser
            .err()
            .strip()
            .matches(
                "probe-rows: --output="
                    + Pattern.quote(output)
                    + "/ is in use by run \\S+ of \\S+@\\S+ \\(pid \\d+\\), started \\S+,"
                    + " \\d+ s ago; wait for it to end, or, if it is gone, delete"
                    + " \\S+/claim-\\S+"),
        both);
    Set<String> expected =
        IntStream.range(0, winnerShards)
            .mapToObj(i -> String.format("part-%05d-of-%05d.parquet", i, winnerShards))
            .collect(Collectors.toCollection(TreeSet::new));
    expected.add("_SUCCESS");
    assertEquals(expected, names.get(), both);
    return copy.get();
  }

  // --- failures --------------------------------------------------------------------------------

  @Test
  @Order(4)
  void missingBucket() throws Exception {
    ProbeRowsJar.Result in =
        jar.run(
            "missing-bucket-in",
            "run",
            "--input=s3a://no-such-bucket/in/*.parquet",
            "--output=hdfs:///never");
    assertOneLineError(
        in,
        "probe-rows: cannot list s3a://no-such-bucket/in/*.parquet: the bucket does not"
            + " exist");

    ProbeRowsJar.Result out =
        jar.run(
            "missing-bucket-out",
            "run",
            "--input=hdfs:///events/*.parquet",
            "--output=s3a://no-such-bucket/out");
    assertOneLineError(
        out,
        "probe-rows: cannot use --output=s3a://no-such-bucket/out/: the bucket does not exist");
  }

  @Test
  @Order(5)
  void badCredentials() throws Exception {
    // The environment comes before the profile file in the AWS chain.
    ProbeRowsJar.Result run =
        jar.withEnvironment(
                Map.of(
                    "AWS_ACCESS_KEY_ID",
                    S3Server.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY",
                    "not-the-secret"))
            .run(
                "bad-credentials",
                "run",
                "--input=hdfs:///events/*.parquet",
                "--output=s3a://events/bad-credentials");
    assertOneLineError(
        run,
        "probe-rows: cannot use --output=s3a://events/bad-credentials/: access denied"
            + " (SignatureDoesNotMatch): check the credentials and the permissions");
    assertEquals(List.of(), S3Server.download(s3Client, BUCKET, "bad-credentials/", work));
  }

  /** S3 goes away while the job reads: the run fails with one line and publishes nothing. */
  @Test
  @Order(6)
  void s3StoppedMidRun() throws Exception {
    S3Server.upload(s3Client, BUCKET, "large/", largeInput());
    ProbeRowsJar.Started run =
        jar.start(
            "s3-stopped",
            "run",
            "--input=s3a://events/large/*.parquet",
            "--output=s3a://events/stopped");
    awaitReading(run);
    s3.kill();
    ProbeRowsJar.Result result = run.await(Duration.ofMinutes(3));
    s3.start();
    assertOneLineStoreError(result, URI.create(s3.endpoint()).getAuthority());
    Set<String> left = topLevel(S3Server.download(s3Client, BUCKET, "stopped/", work.resolve("x")));
    assertFalse(left.contains("_SUCCESS"), left::toString);
    assertTrue(left.stream().noneMatch(name -> name.startsWith("part-")), left::toString);
  }

  /**
   * The NameNode stops while the job writes: the run fails with one line, cannot even clean up, and
   * yet leaves no probe-row file behind.
   */
  @Test
  @Order(7)
  void nameNodeStoppedMidRun() throws Exception {
    hdfs.getFileSystem().copyFromLocalFile(false, true, hdfsPath(largeInput()), hdfsPath("/large"));
    ProbeRowsJar.Started run =
        jar.start(
            "hdfs-stopped", "run", "--input=hdfs:///large/*.parquet", "--output=hdfs:///stopped");
    FileSystem fs = hdfs.getFileSystem();
    org.apache.hadoop.fs.Path temporary = hdfsPath("/.stopped.probe-rows");
    while (!(fs.exists(temporary) && hasStagedFiles(fs, temporary))) {
      assertTrue(run.process.isAlive(), () -> "the run ended before it wrote:\n" + outOf(run));
      Thread.sleep(50);
    }
    hdfs.shutdownNameNode(0);
    ProbeRowsJar.Result result = run.await(Duration.ofMinutes(3));
    hdfs.restartNameNode(0, true);
    assertOneLineStoreError(result, hdfs.getURI().getAuthority());
    Set<String> left = hdfsNames("/stopped");
    assertFalse(left.contains("_SUCCESS"), left::toString);
    assertTrue(left.stream().noneMatch(name -> name.startsWith("part-")), left::toString);
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Exactly the part files of one run and _SUCCESS: nothing staged is left. */
  private static void assertCommitted(Set<String> names, ProbeRowsJar.Result run) {
    int parts = (int) names.stream().filter(name -> name.startsWith("part-")).count();
    Set<String> expected =
        IntStream.range(0, parts)
            .mapToObj(i -> String.format("part-%05d-of-%05d.parquet", i, parts))
            .collect(Collectors.toCollection(TreeSet::new));
    expected.add("_SUCCESS");
    assertTrue(parts > 0, run::toString);
    assertEquals(expected, names, run::toString);
  }

  private static void assertMatchesDuckDb(Path output) throws Exception {
    try (DuckDb duckDb = new DuckDb()) {
      duckDb
          .judge(testdata.resolve("*.parquet").toString(), output, "src_addr", "event_time")
          .assertCorrect();
    }
  }

  private static void assertOneLineError(ProbeRowsJar.Result run, String line) {
    assertEquals(3, run.exit(), run::toString);
    assertEquals(line, run.err().strip(), run::toString);
  }

  /** One line that says what failed, where, and what to check. */
  private static void assertOneLineStoreError(ProbeRowsJar.Result run, String address) {
    assertEquals(3, run.exit(), run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
    assertTrue(run.err().startsWith("probe-rows: cannot "), run::toString);
    assertTrue(run.err().contains(address + ": is the store running"), run::toString);
  }

  /** Waits until the job has read some rows: its progress line says so. */
  private static void awaitReading(ProbeRowsJar.Started run) throws Exception {
    while (true) {
      assertTrue(run.process.isAlive(), () -> "the run ended before it read:\n" + outOf(run));
      Matcher progress = PROGRESS.matcher(run.outSoFar());
      while (progress.find()) {
        if (!progress.group(1).equals("0")) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }

  private static String outOf(ProbeRowsJar.Started run) {
    try {
      return run.await(Duration.ofMinutes(1)).toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Generated once: a million events in two files. */
  private static Path largeInput() throws Exception {
    Path large = work.resolve("large");
    if (!Files.isDirectory(large)) {
      ProbeRowsJar.Result generate =
          jar.run(
              "generate", "generate", "--output=" + large, "--events=" + LARGE_EVENTS, "--files=2");
      assertEquals(0, generate.exit(), generate::toString);
    }
    return large;
  }

  /** Files in a run's staging folder, not only its claim. */
  private static boolean hasStagedFiles(FileSystem fs, org.apache.hadoop.fs.Path work)
      throws IOException {
    var files = fs.listFiles(work, true);
    while (files.hasNext()) {
      if (!files.next().getPath().getName().startsWith("claim-")) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> hdfsNames(String folder) throws IOException {
    Set<String> names = new TreeSet<>();
    if (!hdfs.getFileSystem().exists(hdfsPath(folder))) {
      return names;
    }
    for (FileStatus status : hdfs.getFileSystem().listStatus(hdfsPath(folder))) {
      names.add(status.getPath().getName());
    }
    return names;
  }

  private static Path copyOutOfHdfs(String folder) throws IOException {
    Path local = work.resolve("copied/hdfs-" + folder.substring(1));
    hdfs.getFileSystem().copyToLocalFile(false, hdfsPath(folder), hdfsPath(local), true);
    return local;
  }

  /** The first path element of each name: what a listing of the folder shows. */
  private static Set<String> topLevel(List<String> names) {
    Set<String> top = new TreeSet<>();
    for (String name : names) {
      top.add(name.contains("/") ? name.substring(0, name.indexOf('/')) : name);
    }
    return top;
  }

  private static org.apache.hadoop.fs.Path hdfsPath(Object path) {
    return new org.apache.hadoop.fs.Path(path.toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> all = Files.walk(dir)) {
      paths =
          all.sorted(Comparator.reverseOrder()).collect(Collectors.toCollection(ArrayList::new));
    }
    for (Path path : paths) {
      Files.delete(path);
    }
  }
}
