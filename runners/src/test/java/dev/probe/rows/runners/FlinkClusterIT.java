package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.probe.rows.testing.DuckDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shaded jar against a real standalone Flink session cluster ({@code runners/flink-cluster}):
 * one JobManager and two TaskManagers of two slots, each its own JVM. A plain run, then a run that
 * loses a TaskManager (kill -9) and must still finish with correct output, judged by DuckDB.
 *
 * <p>Run by maven-failsafe after {@code package} built {@code runners/target/probe-rows.jar}:
 * {@code mvn verify -pl runners -Dit.test=FlinkClusterIT}. Everything lives in {@code
 * runners/target/flink-cluster-it/}; the cluster's state folder {@code home/} (logs in {@code
 * home/log/}) and the clients' output in {@code client/} stay there after the run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final int TASK_MANAGERS = 2;
  private static final int SLOTS = 2;
  private static final int PARALLELISM = 2;

  /** The run's default: four output files per parallel worker. */
  private static final long EVENTS = 300_000;

  /** Large enough that the job runs for tens of seconds on two cores: the kill lands mid-job. */
  private static final long FAILOVER_EVENTS = 1_500_000;

  /** How long the failover job runs before a TaskManager is killed. */
  private static final Duration KILL_AFTER = Duration.ofSeconds(6);

  /** A kill can cost two restarts (a consumer's lost connection, then the lost heartbeat). */
  private static final int RESTART_ATTEMPTS = 10;

  private static final Duration CLUSTER_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Path script;
  private static Path jar;
  private static Path work;
  private static Path home;
  private static Path clientLogs;
  private static Map<String, String> clusterEnv;
  private static String master;
  private static boolean started;
  private static final List<Process> clients = new ArrayList<>();
  private static final long classStart = System.nanoTime();

  // --- cluster lifecycle ----------------------------------------------------------------------

  @BeforeAll
  static void startCluster() throws Exception {
    Path repo = repoRoot();
    script = repo.resolve("runners/flink-cluster");
    jar = repo.resolve("runners/target/probe-rows.jar");
    assertTrue(
        Files.isRegularFile(jar), jar + " is missing: build it with `mvn install -DskipTests`");

    work = repo.resolve("runners/target/flink-cluster-it");
    deleteRecursively(work);
    home = work.resolve("home");
    clientLogs = work.resolve("client");
    Files.createDirectories(clientLogs);

    int restPort = freePort();
    int rpcPort = freePort();
    while (rpcPort == restPort) {
      rpcPort = freePort();
    }
    clusterEnv =
        Map.of(
            "FLINK_CLUSTER_HOME", home.toString(),
            "FLINK_REST_PORT", Integer.toString(restPort),
            "FLINK_RESTART_ATTEMPTS", Integer.toString(RESTART_ATTEMPTS),
            // The script binds the JobManager's RPC port to Flink's fixed default 6123, which a
            // developer's own cluster may hold: both JVM kinds get a free one via -D instead.
            "JAVA", javaWithRpcPort(rpcPort).toString());
    // Stop whatever this test starts even if the JVM is ended before @AfterAll runs.
    Runtime.getRuntime().addShutdownHook(new Thread(FlinkClusterIT::stopQuietly));

    long t0 = System.nanoTime();
    started = true;
    Result start =
        cluster(CLUSTER_TIMEOUT, "start", "--taskmanagers=" + TASK_MANAGERS, "--slots=" + SLOTS);
    assertEquals(0, start.exit, () -> "flink-cluster start failed\n" + start + clusterLogs());
    List<String> lines = start.out.lines().collect(Collectors.toList());
    master = lines.get(lines.size() - 1).trim();
    assertEquals("127.0.0.1:" + restPort, master, start::toString);
    log("cluster started at %s in %s (state in %s)", master, since(t0), home);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    clients.forEach(FlinkClusterIT::destroy);
    if (!started) {
      return;
    }
    Result stop = cluster(Duration.ofMinutes(1), "stop");
    started = false;
    // `stop` ends exactly the JVMs it started; check that none of them is left.
    List<ProcessHandle> left = clusterJvms();
    left.forEach(FlinkClusterIT::destroy);
    // The uploaded job jars and spill files are large; the logs stay.
    deleteRecursively(home.resolve("tmp"));
    log("cluster stopped; whole class took %s; logs in %s", since(classStart), home.resolve("log"));
    assertEquals(0, stop.exit, stop::toString);
    assertTrue(left.isEmpty(), () -> "JVMs left after stop: " + describe(left));
  }

  private static void stopQuietly() {
    if (!started) {
      return;
    }
    try {
      clients.forEach(FlinkClusterIT::destroy);
      cluster(Duration.ofMinutes(1), "stop");
      started = false;
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  // --- tests ----------------------------------------------------------------------------------

  @Test
  @Order(1)
  void clusterHasTwoTaskManagers() throws Exception {
    JsonNode tms = rest("/taskmanagers").get("taskmanagers");
    assertEquals(TASK_MANAGERS, tms.size(), () -> tms + clusterLogs());
    for (JsonNode tm : tms) {
      assertEquals(SLOTS, tm.get("slotsNumber").asInt(), tm::toString);
    }
  }

  @Test
  @Order(2)
  void runsOnTheCluster() throws Exception {
    Path input = generate("in", EVENTS);
    Path out = work.resolve("out");
    Set<String> before = jobIds();

    long t0 = System.nanoTime();
    // No --parallelism: the job takes every free slot of the cluster.
    Result run = await(submit("run", input, out), RUN_TIMEOUT);
    log("%,d events on the cluster: %s (client wall time)", EVENTS, since(t0));
    assertEquals(0, run.exit, () -> "run failed\n" + run + clusterLogs());
    assertTrue(run.out.contains(String.format("read %,d rows", EVENTS)), run::toString);
    assertTrue(run.out.contains("rejected 0 rows"), run::toString);

    JsonNode job = newJob(before, run);
    assertEquals("FINISHED", job.get("state").asText(), () -> job + clusterLogs());
    log(
        "job %s FINISHED in %.1f s",
        job.get("jid").asText(), job.get("duration").asLong() / 1000.0);
    int slots = TASK_MANAGERS * SLOTS;
    int parallelism = 0;
    for (JsonNode vertex : rest("/jobs/" + job.get("jid").asText()).get("vertices")) {
      parallelism = Math.max(parallelism, vertex.get("parallelism").asInt());
    }
    assertEquals(slots, parallelism, "the job should default to the cluster's free slots");
    assertOutput(input, out, run, 4 * slots);
    // Kept for inspection when an assertion fails.
    deleteRecursively(input);
    deleteRecursively(out);
  }

  /** Stopping the client (Ctrl-C or SIGTERM) cancels its job on the cluster, not only itself. */
  @Test
  @Order(5)
  void stoppingTheClientCancelsTheJob() throws Exception {
    Path input = generate("in-cancel", FAILOVER_EVENTS);
    Path out = work.resolve("out-cancel");
    Set<String> before = jobIds();
    Started client = submit("run-cancel", input, out);
    String jid = awaitRunningJob(before, client);

    client.process.destroy();
    assertTrue(client.process.waitFor(60, TimeUnit.SECONDS), "the client did not stop");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String state = rest("/jobs/" + jid).get("state").asText();
    while (!isTerminal(state) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      state = rest("/jobs/" + jid).get("state").asText();
    }
    String finalState = state;
    assertEquals("CANCELED", finalState, () -> "job " + jid + "\n" + client.result());
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    deleteRecursively(input);
    deleteRecursively(out);
  }

  /** A corrupt file fails the job at once: the restart strategy must not read it again. */
  @Test
  @Order(4)
  void aDataErrorIsNotRetried() throws Exception {
    Path input = generate("in-corrupt", EVENTS);
    Path file = input.resolve("events-00000.parquet");
    byte[] bytes = Files.readAllBytes(file);
    // Garbles the first column chunk; the footer stays intact, so the job starts and then fails.
    Arrays.fill(bytes, 5_000, 5_400, (byte) 0xAB);
    Files.write(file, bytes);
    Path out = work.resolve("out-corrupt");
    Set<String> before = jobIds();

    Result run = await(submit("run-corrupt", input, out), RUN_TIMEOUT);
    assertEquals(3, run.exit, () -> "a data error should exit 3\n" + run + clusterLogs());
    assertTrue(run.err.contains("cannot read " + file + " row group 0"), run::toString);

    JsonNode job = newJob(before, run);
    assertEquals("FAILED", job.get("state").asText(), () -> job + clusterLogs());
    JsonNode details = rest("/jobs/" + job.get("jid").asText());
    assertEquals(
        0,
        details.path("timestamps").path("RESTARTING").asLong(),
        () -> "the job was restarted on a data error: " + details.path("timestamps"));
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    deleteRecursively(input);
    deleteRecursively(out);
  }

  @Test
  @Order(3)
  void survivesALostTaskManager() throws Exception {
    Path input = generate("in-failover", FAILOVER_EVENTS);
    Path out = work.resolve("out-failover");
    Set<String> before = jobIds();

    long t0 = System.nanoTime();
    // Fewer workers than slots: the tasks of a lost TaskManager can restart on the other.
    Started client = submit("run-failover", input, out, "--parallelism=" + PARALLELISM);
    String jid = awaitRunningJob(before, client);
    long running = System.nanoTime();
    log("job %s RUNNING after %s", jid, since(t0));

    // A moment into the job, while its tasks are at work on both TaskManagers.
    while (System.nanoTime() - running < KILL_AFTER.toNanos()) {
      assertTrue(
          client.process.isAlive(),
          () -> "the client exited early\n" + client.result() + clusterLogs());
      Thread.sleep(200);
    }
    JsonNode atKill = rest("/jobs/" + jid);
    assertEquals(
        "RUNNING",
        atKill.get("state").asText(),
        "the job was no longer running when the TaskManager was to be killed, so the test would "
            + "prove nothing: raise FAILOVER_EVENTS. "
            + atKill);
    Result kill = cluster(Duration.ofSeconds(30), "kill-taskmanager");
    assertEquals(0, kill.exit, kill::toString);
    log("%s %s into the job; vertices then: %s", kill.out.trim(), since(running), vertices(atKill));

    long t1 = System.nanoTime();
    Result replacement = cluster(CLUSTER_TIMEOUT, "start-taskmanager");
    assertEquals(
        0, replacement.exit, () -> "start-taskmanager failed\n" + replacement + clusterLogs());
    log("replacement TaskManager registered in %s", since(t1));

    Result run = await(client, RUN_TIMEOUT);
    log("%,d events with a lost TaskManager: %s (client wall time)", FAILOVER_EVENTS, since(t0));
    assertEquals(
        0, run.exit, () -> "the run did not survive the lost TaskManager\n" + run + clusterLogs());
    assertTrue(run.out.contains(String.format("read %,d rows", FAILOVER_EVENTS)), run::toString);

    JsonNode job = rest("/jobs/" + jid);
    assertEquals("FINISHED", job.get("state").asText(), () -> job + clusterLogs());
    // The restart must show at the JobManager: every failure that restarted tasks is in the
    // exception history (region or global failover alike).
    JsonNode failures =
        rest("/jobs/" + jid + "/exceptions").path("exceptionHistory").path("entries");
    assertTrue(
        failures.size() > 0,
        () -> "no failure recorded: nothing was restarted\n" + job + clusterLogs());
    for (JsonNode failure : failures) {
      log(
          "  failure at %s on %s: %s (task %s)",
          failure.path("timestamp").asText(),
          failure.path("taskManagerId").asText(),
          failure.path("exceptionName").asText(),
          failure.path("taskName").asText());
    }
    long restarting = job.path("timestamps").path("RESTARTING").asLong();
    log(
        "job %s FINISHED in %.1f s after %d recorded failure(s); last RESTARTING at %d",
        jid, job.get("duration").asLong() / 1000.0, failures.size(), restarting);
    assertEquals(
        TASK_MANAGERS, rest("/taskmanagers").get("taskmanagers").size(), this::clusterState);

    assertOutput(input, out, run, 4 * PARALLELISM);
    deleteRecursively(input);
    deleteRecursively(out);
  }

  // --- assertions -----------------------------------------------------------------------------

  /** The output folder holds exactly the part files and _SUCCESS, and DuckDB agrees with it. */
  private static void assertOutput(Path input, Path out, Result run, int partFiles)
      throws Exception {
    assertFalse(
        Files.exists(out.resolveSibling("." + out.getFileName() + ".probe-rows")),
        () -> "work folder left\n" + run);
    Set<String> expected =
        IntStream.range(0, partFiles)
            .mapToObj(i -> String.format("part-%05d-of-%05d.parquet", i, partFiles))
            .collect(Collectors.toCollection(TreeSet::new));
    expected.add("_SUCCESS");
    Set<String> actual;
    try (Stream<Path> files = Files.list(out)) {
      actual =
          files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(expected, actual, run::toString);

    try (DuckDb duckDb = new DuckDb()) {
      DuckDb.Verdict verdict =
          duckDb.judge(input.resolve("*.parquet").toString(), out, "src_addr", "event_time");
      log("DuckDB: %s", verdict);
      verdict.assertCorrect();
    }
  }

  // --- the jar --------------------------------------------------------------------------------

  private static Path generate(String name, long events) throws Exception {
    Path dir = work.resolve(name);
    long t0 = System.nanoTime();
    Result gen =
        await(
            start(
                name + "-generate",
                Map.of(),
                java(),
                "-jar",
                jar.toString(),
                "generate",
                "--output=" + dir,
                "--events=" + events,
                "--files=4"),
            RUN_TIMEOUT);
    assertEquals(0, gen.exit, gen::toString);
    log("generated %,d events in %s", events, since(t0));
    return dir;
  }

  private static Started submit(String name, Path input, Path out, String... options)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-jar",
                jar.toString(),
                "run",
                "--input=" + input.resolve("*.parquet"),
                "--output=" + out,
                "--runner=FlinkRunner",
                "--flinkMaster=" + master));
    command.addAll(List.of(options));
    return start(name, Map.of(), command.toArray(new String[0]));
  }

  // --- the JobManager's REST API --------------------------------------------------------------

  private static JsonNode rest(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + master + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static Set<String> jobIds() throws Exception {
    Set<String> ids = new HashSet<>();
    for (JsonNode job : rest("/jobs/overview").get("jobs")) {
      ids.add(job.get("jid").asText());
    }
    return ids;
  }

  /** The one job submitted since {@code before}, from /jobs/overview. */
  private static JsonNode newJob(Set<String> before, Result run) throws Exception {
    List<JsonNode> jobs = new ArrayList<>();
    for (JsonNode job : rest("/jobs/overview").get("jobs")) {
      if (!before.contains(job.get("jid").asText())) {
        jobs.add(job);
      }
    }
    assertEquals(1, jobs.size(), () -> "new jobs: " + jobs + "\n" + run);
    return jobs.get(0);
  }

  /** Waits until a job submitted since {@code before} is RUNNING; returns its id. */
  private static String awaitRunningJob(Set<String> before, Started client) throws Exception {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode job : rest("/jobs/overview").get("jobs")) {
        String jid = job.get("jid").asText();
        if (before.contains(jid)) {
          continue;
        }
        String state = job.get("state").asText();
        if (state.equals("RUNNING")) {
          return jid;
        }
        assertFalse(
            isTerminal(state),
            () -> "the job ended before it could be disturbed: " + job + "\n" + client.result());
      }
      assertTrue(
          client.process.isAlive(),
          () -> "the client exited before the job ran\n" + client.result() + clusterLogs());
      Thread.sleep(250);
    }
    return fail("no job RUNNING within " + RUN_TIMEOUT + "\n" + client.result() + clusterLogs());
  }

  private static boolean isTerminal(String state) {
    return Set.of("FINISHED", "FAILED", "CANCELED").contains(state);
  }

  private static String vertices(JsonNode job) {
    List<String> parts = new ArrayList<>();
    for (JsonNode v : job.path("vertices")) {
      String name = v.path("name").asText();
      parts.add(name.substring(0, Math.min(name.length(), 40)) + "=" + v.path("status").asText());
    }
    return String.join(", ", parts);
  }

  private String clusterState() {
    try {
      return rest("/taskmanagers").toString() + clusterLogs();
    } catch (Exception e) {
      return e + clusterLogs();
    }
  }

  // --- processes ------------------------------------------------------------------------------

  /** A process started with its stdout and stderr in files under client/. */
  private static final class Started {
    final String name;
    final Process process;
    final Path stdout;
    final Path stderr;
    final List<String> command;

    Started(String name, Process process, Path stdout, Path stderr, List<String> command) {
      this.name = name;
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
      this.command = command;
    }

    Result result() {
      return new Result(this, process.isAlive() ? -1 : process.exitValue());
    }
  }

  private static final class Result {
    final int exit;
    final String out;
    final String err;
    final Started started;

    Result(Started started, int exit) {
      this.started = started;
      this.exit = exit;
      this.out = read(started.stdout);
      this.err = read(started.stderr);
    }

    @Override
    public String toString() {
      return String.format(
          "%s (exit %s): %s%n--- stdout (%s)%n%s%n--- stderr, last 60 lines (%s)%n%s",
          started.name,
          exit < 0 ? "still running" : Integer.toString(exit),
          String.join(" ", started.command),
          started.stdout,
          tail(out, 40),
          started.stderr,
          tail(err, 60));
    }
  }

  private static int counter;

  private static synchronized Started start(String name, Map<String, String> env, String... command)
      throws IOException {
    String file = String.format("%02d-%s", ++counter, name);
    Path stdout = clientLogs.resolve(file + ".out");
    Path stderr = clientLogs.resolve(file + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    builder.environment().putAll(env);
    Started started = new Started(name, builder.start(), stdout, stderr, List.of(command));
    clients.add(started.process);
    return started;
  }

  private static Result await(Started started, Duration timeout) throws InterruptedException {
    if (!started.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      Result timedOut = started.result();
      destroy(started.process);
      fail(started.name + " did not end within " + timeout + "\n" + timedOut + clusterLogs());
    }
    clients.remove(started.process);
    return started.result();
  }

  private static Result cluster(Duration timeout, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    return await(
        start("flink-cluster-" + args[0], clusterEnv, command.toArray(String[]::new)), timeout);
  }

  private static void destroy(Process process) {
    destroy(process.toHandle());
  }

  private static void destroy(ProcessHandle handle) {
    handle.descendants().forEach(ProcessHandle::destroyForcibly);
    handle.destroyForcibly();
  }

  /** Live JVMs started by the script with this test's config folder. */
  private static List<ProcessHandle> clusterJvms() {
    String marker = "--configDir " + home.resolve("conf");
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .collect(Collectors.toList());
  }

  private static String describe(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .collect(Collectors.joining("\n"));
  }

  /**
   * A {@code java} that appends {@code -D jobmanager.rpc.port=PORT} to the program arguments: both
   * Flink entry points read dynamic properties after {@code --configDir}.
   */
  private static Path javaWithRpcPort(int port) throws IOException {
    Path wrapper = work.resolve("java-rpc-port-" + port);
    Files.writeString(
        wrapper,
        "#!/bin/sh\nexec '" + java() + "' \"$@\" -D jobmanager.rpc.port=" + port + "\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return wrapper;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  // --- diagnostics ----------------------------------------------------------------------------

  /** The tail of every log in the cluster's log folder, for assertion messages. */
  private static String clusterLogs() {
    Path logs = home.resolve("log");
    StringBuilder text = new StringBuilder("\n=== cluster logs in " + logs + " ===");
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.sorted().collect(Collectors.toList())) {
        String name = file.getFileName().toString();
        if (name.endsWith(".log") || name.endsWith(".out")) {
          text.append("\n--- ")
              .append(name)
              .append(", last 30 lines\n")
              .append(tail(read(file), 30));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      text.append("\n(").append(e).append(")");
    }
    return text.toString();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().collect(Collectors.toList());
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static void log(String format, Object... args) {
    System.out.printf("FlinkClusterIT: " + format + "%n", args);
  }

  private static String since(long nanos) {
    return String.format("%.1f s", (System.nanoTime() - nanos) / 1e9);
  }

  // --- files ----------------------------------------------------------------------------------

  /** The checkout: the first folder up from the working directory holding runners/flink-cluster. */
  private static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("runners/flink-cluster"))) {
        return dir;
      }
    }
    return fail("no runners/flink-cluster above " + Path.of("").toAbsolutePath());
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
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
