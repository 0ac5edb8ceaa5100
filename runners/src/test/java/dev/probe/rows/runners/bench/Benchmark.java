package dev.probe.rows.runners.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The probe-rows benchmark (issue 4, item 5): for each size, generates one input in two layouts
 * (random order and sorted by key and time) and runs every approach on the same files, each in a
 * process of its own, measuring wall time around the process and its peak RSS (the {@code VmHWM} of
 * {@code /proc/PID/status}, polled). Prints one Markdown table per size.
 *
 * <p>Not a unit test: run it with {@code bench/run-benchmark.sh [--quick | SIZE...]}, which builds
 * the project, computes this module's test class path and starts this class. Configuration comes
 * from system properties (the script maps environment variables onto them):
 *
 * <ul>
 *   <li>{@code bench.launcher}: the {@code probe-rows} launcher, so runs start as users' do
 *   <li>{@code bench.data}: folder for generated data ({@code /work/bench-data}); what the
 *       benchmark creates there is deleted at the end unless {@code bench.keep=true}
 *   <li>{@code bench.xmx} ({@code 2g}): heap of the probe-rows and floor processes; {@code
 *       bench.directXmx} (same) for the DirectRunner
 *   <li>{@code bench.directMax} ({@code 2000000}): largest size the DirectRunner runs
 *   <li>{@code bench.parallelism} ({@code 2}): probe-rows' {@code --parallelism}, DuckDB's threads
 *       and the floor's threads
 *   <li>{@code bench.files} ({@code 4}), {@code bench.seed} ({@code 42}): the generated input
 *   <li>{@code bench.duckdbMemory} ({@code 16GB}): DuckDB's {@code memory_limit}
 *   <li>{@code bench.timeoutMinutes} ({@code 60}) per approach
 *   <li>{@code bench.approaches}: comma-separated subset of {@value #ALL_APPROACHES}
 *   <li>{@code bench.orderCheck} ({@code true}): also count probe rows whose events are out of time
 *       order (in DuckDB, over every output)
 * </ul>
 */
public final class Benchmark {
  static final String ALL_APPROACHES =
      "sorted,assumeOrdered,direct,duckdbOrdered,duckdbUnordered,floor";

  private static final Pattern SUMMARY =
      Pattern.compile(
          "probe-rows: read ([\\d,]+) rows from [\\d,]+ files; wrote ([\\d,]+) probe rows .*"
              + " with ([\\d,]+) events .*; ([\\d.]+) s, peak heap");
  private static final Pattern PROGRESS =
      Pattern.compile(
          "probe-rows: (\\d+) s: read ([\\d,]+) of ([\\d,]+) rows .*wrote ([\\d,]+) probe rows with"
              + " ([\\d,]+) events, sort spill ([\\d,]+) MB");
  private static final Pattern BENCH_LINE = Pattern.compile("BENCH (\\w+)=(.*)");

  private final Path launcher;
  private final Path data;
  private final boolean keep;
  private final String xmx;
  private final String directXmx;
  private final long directMax;
  private final int parallelism;
  private final int files;
  private final long seed;
  private final String duckdbMemory;
  private final long timeoutMinutes;
  private final Set<String> approaches;
  private final boolean orderCheck;
  private final String java = ProcessHandle.current().info().command().orElse("java");
  private final String classPath = System.getProperty("java.class.path");
  private final List<Path> created = new ArrayList<>();

  private Benchmark() {
    launcher = Paths.get(System.getProperty("bench.launcher", "probe-rows")).toAbsolutePath();
    data = Paths.get(System.getProperty("bench.data", "/work/bench-data")).toAbsolutePath();
    keep = Boolean.parseBoolean(System.getProperty("bench.keep", "false"));
    xmx = System.getProperty("bench.xmx", "2g");
    directXmx = System.getProperty("bench.directXmx", xmx);
    directMax = Long.parseLong(System.getProperty("bench.directMax", "2000000"));
    parallelism = Integer.parseInt(System.getProperty("bench.parallelism", "2"));
    files = Integer.parseInt(System.getProperty("bench.files", "4"));
    seed = Long.parseLong(System.getProperty("bench.seed", "42"));
    duckdbMemory = System.getProperty("bench.duckdbMemory", "16GB");
    timeoutMinutes = Long.parseLong(System.getProperty("bench.timeoutMinutes", "60"));
    approaches =
        Arrays.stream(System.getProperty("bench.approaches", ALL_APPROACHES).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    orderCheck = Boolean.parseBoolean(System.getProperty("bench.orderCheck", "true"));
  }

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>();
    for (String arg : args) {
      sizes.add(Long.parseLong(arg.replace("_", "").replace(",", "")));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(2_000_000L, 5_000_000L, 20_000_000L);
    }
    new Benchmark().run(sizes);
  }

  // ---------------------------------------------------------------------------------------------
  // One approach's measurement.

  /** What one process did. */
  static final class Result {
    String id;
    String label;
    String layout;
    boolean ran;

    /** ok, OOM, failed (exit N), killed (signal), timeout. */
    String status = "ok";

    String error = "";
    double wallSeconds;
    double innerSeconds = Double.NaN;
    long peakRssKb;
    double load1;
    String check = "";
    boolean checkOk = true;
    String notes = "";
    Path log;

    boolean ok() {
      return ran && status.equals("ok");
    }
  }

  /** Polls {@code VmHWM} of a process (and of any children it starts). */
  private static final class RssPoller extends Thread {
    private final ProcessHandle process;
    private volatile boolean stop;
    private volatile long peakKb;

    RssPoller(ProcessHandle process) {
      super("rss-poller-" + process.pid());
      this.process = process;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!stop) {
        long kb = hwmKb(process.pid());
        // Children, if any (none of the approaches should start one), count on top.
        for (ProcessHandle child : process.descendants().collect(Collectors.toList())) {
          kb += Math.max(0, hwmKb(child.pid()));
        }
        if (kb > peakKb) {
          peakKb = kb;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long finish() throws InterruptedException {
      stop = true;
      join();
      return peakKb;
    }

    private static long hwmKb(long pid) {
      try {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | UncheckedIOException | NumberFormatException e) {
        // The process has ended.
      }
      return 0;
    }
  }

  private Result measure(Result result, List<String> command, Path log) throws Exception {
    result.ran = true;
    result.log = log;
    result.load1 = load1();
    Files.createDirectories(log.getParent());
    Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
    System.err.printf(
        "bench: %s on %s input (load %.2f) ... ", result.label, result.layout, result.load1);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long start = System.nanoTime();
    Process process = builder.start();
    RssPoller poller = new RssPoller(process.toHandle());
    poller.start();
    boolean finished = process.waitFor(timeoutMinutes, TimeUnit.MINUTES);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
    }
    result.wallSeconds = (System.nanoTime() - start) / 1e9;
    result.peakRssKb = poller.finish();
    int exit = process.exitValue();

    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    Map<String, String> bench = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = BENCH_LINE.matcher(line);
      if (m.matches()) {
        bench.put(m.group(1), m.group(2));
      }
    }
    if (bench.containsKey("inner_seconds")) {
      result.innerSeconds = Double.parseDouble(bench.get("inner_seconds"));
    }
    boolean heapOom = lines.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
    if (!finished) {
      result.status = "timeout";
      result.error = "killed after " + timeoutMinutes + " min";
    } else if ("OOM".equals(bench.get("status"))) {
      result.status = "OOM";
      result.error = bench.getOrDefault("error", "");
    } else if (exit != 0) {
      result.status =
          heapOom
              ? "OOM"
              : exit > 128 ? "killed (signal " + (exit - 128) + ")" : "failed (exit " + exit + ")";
      result.error = lastMeaningfulLines(lines, heapOom);
    }
    System.err.printf(
        "%s, %.1f s, peak RSS %,d MB%n",
        result.status, result.wallSeconds, result.peakRssKb / 1024);
    if (!result.ok()) {
      System.err.println("bench:   " + result.error.replace("\n", "\nbench:   "));
    }
    return result;
  }

  private static String lastMeaningfulLines(List<String> lines, boolean heapOom) {
    List<String> picked = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("probe-rows:") && !PROGRESS.matcher(line).find()
          || line.contains("Exception") && picked.size() < 3
          || line.contains("Error") && picked.size() < 3
          || heapOom && line.contains("OutOfMemoryError")) {
        picked.add(line.trim());
      }
    }
    if (picked.isEmpty()) {
      picked = lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }
    return picked.stream().distinct().limit(6).collect(Collectors.joining("\n"));
  }

  private static double load1() {
    try {
      return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The approaches.

  private List<String> probeRows(String heap, String input, Path output, String... options) {
    List<String> command = launcher("-Xmx" + heap);
    command.add("run");
    command.add("--input=" + input);
    command.add("--output=" + output);
    command.add("--overwrite");
    command.add("--parallelism=" + parallelism);
    command.addAll(Arrays.asList(options));
    return command;
  }

  /** The launcher, through {@code env}, which keeps the process id the RSS poller watches. */
  private List<String> launcher(String... javaOptions) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add(
        "JAVA_OPTS="
            + String.join(" ", javaOptions)
            + (javaOptions.length == 0 ? "" : " ")
            + "-Djava.io.tmpdir="
            + tmp());
    command.add(launcher.toString());
    return command;
  }

  private List<String> testClass(String heap, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + heap);
    command.add("-Djava.io.tmpdir=" + tmp());
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(Arrays.asList(args));
    return command;
  }

  private Path tmp() {
    return data.resolve("tmp");
  }

  /** Adds what the probe-rows summary and progress lines tell about where the time went. */
  private static void probeRowsNotes(Result result) throws IOException {
    Integer readDone = null;
    Integer firstWrite = null;
    long maxSpill = 0;
    for (String line : Files.readAllLines(result.log, StandardCharsets.UTF_8)) {
      Matcher summary = SUMMARY.matcher(line);
      if (summary.find()) {
        result.innerSeconds = Double.parseDouble(summary.group(4));
      }
      Matcher progress = PROGRESS.matcher(line);
      if (progress.find()) {
        int seconds = Integer.parseInt(progress.group(1));
        if (readDone == null && number(progress.group(2)) >= number(progress.group(3))) {
          readDone = seconds;
        }
        if (firstWrite == null && number(progress.group(5)) > 0) {
          firstWrite = seconds;
        }
        maxSpill = Math.max(maxSpill, number(progress.group(6)));
      }
    }
    List<String> notes = new ArrayList<>();
    if (readDone != null) {
      notes.add("all rows read by " + readDone + " s");
    }
    if (firstWrite != null) {
      notes.add("first events written by " + firstWrite + " s");
    }
    if (maxSpill > 0) {
      notes.add("sort spill up to " + maxSpill + " MB");
    }
    result.notes = String.join(", ", notes);
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  // ---------------------------------------------------------------------------------------------
  // Checks, in DuckDB in this process, between the measurements.

  /** Input facts of one size. */
  static final class Input {
    long rows;
    long sortedRows;
    long keys;
    long largestKey;
    long randomBytes;
    long sortedBytes;
  }

  private static Connection duckdb() throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET threads=2");
    }
    return connection;
  }

  private static long[] longs(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      long[] values = new long[rows.getMetaData().getColumnCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = rows.getLong(i + 1);
      }
      return values;
    }
  }

  private static String sqlString(Object path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }

  private Input describe(Path random, Path sorted) throws Exception {
    Input input = new Input();
    try (Connection db = duckdb()) {
      String r = sqlString(random.resolve("*.parquet"));
      long[] facts =
          longs(
              db,
              "SELECT sum(c), count(*), max(c) FROM (SELECT count(*) AS c FROM read_parquet("
                  + r
                  + ") GROUP BY src_addr)");
      input.rows = facts[0];
      input.keys = facts[1];
      input.largestKey = facts[2];
      input.sortedRows =
          longs(
              db,
              "SELECT count(*) FROM read_parquet(" + sqlString(sorted.resolve("*.parquet")) + ")")[
              0];
    }
    input.randomBytes = bytes(random);
    input.sortedBytes = bytes(sorted);
    return input;
  }

  private static long bytes(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private String unorderedSql() {
    return orderCheck
        ? "count(*) FILTER (WHERE list_transform(events, lambda e: e.event_time)"
            + " <> list_sort(list_transform(events, lambda e: e.event_time)))"
        : "-1";
  }

  /** probe-rows output: one row per key, every event exactly once, in time order. */
  private void checkProbeRows(Result result, Path output, Input input) throws SQLException {
    try (Connection db = duckdb()) {
      long[] v =
          longs(
              db,
              "SELECT count(*), sum(event_count), sum(len(events)), "
                  + unorderedSql()
                  + " FROM read_parquet("
                  + sqlString(output.resolve("part-*.parquet"))
                  + ")");
      result.checkOk =
          v[0] == input.keys && v[1] == input.rows && v[2] == input.rows && (v[3] <= 0);
      result.check =
          String.format(
              "%s: %,d rows, Σ event_count %,d of %,d%s",
              result.checkOk ? "ok" : "MISMATCH",
              v[0],
              v[1],
              input.rows,
              orderCheck ? String.format(", %,d out of order", v[3]) : "");
    }
  }

  /** DuckDB output: one row per key, every event once; and how many lists are out of order. */
  private void checkDuckDb(Result result, Path output, Input input) throws SQLException {
    try (Connection db = duckdb()) {
      long[] v =
          longs(
              db,
              "SELECT count(*), sum(len(events)), "
                  + unorderedSql()
                  + " FROM read_parquet("
                  + sqlString(output)
                  + ")");
      result.checkOk = v[0] == input.keys && v[1] == input.rows;
      result.check =
          String.format(
              "%s: %,d rows, %,d events%s",
              result.checkOk ? "ok" : "MISMATCH",
              v[0],
              v[1],
              orderCheck ? String.format(", **%,d out of order**", v[2]) : "");
      if (orderCheck && v[2] == 0) {
        result.check = result.check.replace("**", "");
      }
    }
  }

  private void checkFloor(Result result, Path output, Input input) throws SQLException {
    try (Connection db = duckdb()) {
      long rows =
          longs(
              db,
              "SELECT count(*) FROM read_parquet(" + sqlString(output.resolve("*.parquet")) + ")")[
              0];
      result.checkOk = rows == input.rows;
      result.check = String.format("%s: %,d rows", result.checkOk ? "ok" : "MISMATCH", rows);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The run.

  private void run(List<Long> sizes) throws Exception {
    System.out.println(machine());
    boolean dataExisted = Files.exists(data);
    Files.createDirectories(data);
    Files.createDirectories(tmp());
    created.add(tmp());
    Map<Long, List<Result>> all = new LinkedHashMap<>();
    try {
      for (long size : sizes) {
        List<Result> results = runSize(size);
        all.put(size, results);
      }
    } finally {
      if (!keep) {
        for (Path path : created) {
          deleteRecursively(path);
        }
        try (Stream<Path> left = Files.list(data)) {
          if (left.findAny().isEmpty() && !dataExisted) {
            Files.deleteIfExists(data);
          }
        }
      } else {
        System.err.println("bench: kept the data in " + data);
      }
    }
    boolean failed =
        all.values().stream()
            .flatMap(List::stream)
            .anyMatch(r -> r.ran && (!r.checkOk || !(r.ok() || r.id.startsWith("duckdb"))));
    if (failed) {
      System.out.println("\nSome approaches failed or gave wrong output: see above.");
    }
  }

  private List<Result> runSize(long size) throws Exception {
    Path dir = data.resolve(String.valueOf(size));
    deleteRecursively(dir);
    created.add(dir);
    Path random = dir.resolve("random");
    Path sorted = dir.resolve("sorted");
    Path logs = dir.resolve("logs");
    System.err.printf(
        "bench: %,d events: generating %d files in two layouts in %s%n", size, files, dir);
    double genRandom = generate(size, random, false, logs);
    double genSorted = generate(size, sorted, true, logs);
    Input input = describe(random, sorted);
    if (input.rows != size || input.sortedRows != size) {
      throw new IllegalStateException(
          "generated " + input.rows + " and " + input.sortedRows + " rows, expected " + size);
    }
    String randomGlob = random.resolve("*.parquet").toString();
    String sortedGlob = sorted.resolve("*.parquet").toString();

    Map<String, Result> results = new LinkedHashMap<>();
    results.put(
        "sorted",
        result(
            "sorted",
            "probe-rows sorted path (`--assumeOrdered=false`, Flink, -Xmx" + xmx + ")",
            "random"));
    results.put(
        "assumeOrdered",
        result(
            "assumeOrdered",
            "probe-rows assumeOrdered path (`--assumeOrdered=true`, Flink, -Xmx" + xmx + ")",
            "sorted"));
    results.put(
        "direct",
        result(
            "direct",
            "probe-rows sorted path on the DirectRunner (-Xmx" + directXmx + ")",
            "random"));
    results.put(
        "duckdbOrdered",
        result("duckdbOrdered", "DuckDB ordered LIST (`ORDER BY event_time`)", "random"));
    results.put(
        "duckdbUnordered",
        result("duckdbUnordered", "DuckDB unordered LIST (old tool's shortcut)", "sorted"));
    results.put("floor", result("floor", "floor: parquet-mr read + write, no grouping", "random"));

    if (approaches.contains("floor")) {
      Result r = results.get("floor");
      Path out = dir.resolve("out-floor");
      List<String> args = new ArrayList<>(List.of(out.toString(), String.valueOf(parallelism)));
      try (Stream<Path> inputs = Files.list(random)) {
        inputs.map(Path::toString).filter(p -> p.endsWith(".parquet")).sorted().forEach(args::add);
      }
      measure(
          r,
          testClass(xmx, FloorCopy.class, args.toArray(new String[0])),
          logs.resolve("floor.log"));
      if (r.ok()) {
        checkFloor(r, out, input);
      }
      deleteRecursively(out);
    }
    for (String id : List.of("duckdbUnordered", "duckdbOrdered")) {
      if (!approaches.contains(id)) {
        continue;
      }
      Result r = results.get(id);
      boolean ordered = id.equals("duckdbOrdered");
      Path out = dir.resolve("out-" + id + ".parquet");
      Path duckTmp = dir.resolve("duckdb-tmp-" + id);
      Files.createDirectories(duckTmp);
      measure(
          r,
          testClass(
              "256m",
              DuckDbQuery.class,
              ordered ? "ordered" : "unordered",
              ordered ? randomGlob : sortedGlob,
              out.toString(),
              duckTmp.toString(),
              String.valueOf(parallelism),
              duckdbMemory),
          logs.resolve(id + ".log"));
      if (r.ok()) {
        checkDuckDb(r, out, input);
      }
      Files.deleteIfExists(out);
      deleteRecursively(duckTmp);
    }
    for (String id : List.of("sorted", "assumeOrdered", "direct")) {
      if (!approaches.contains(id) || id.equals("direct") && size > directMax) {
        continue;
      }
      Result r = results.get(id);
      Path out = dir.resolve("out-" + id);
      List<String> command =
          id.equals("sorted")
              ? probeRows(xmx, randomGlob, out, "--assumeOrdered=false")
              : id.equals("assumeOrdered")
                  ? probeRows(xmx, sortedGlob, out, "--assumeOrdered=true")
                  : probeRows(
                      directXmx, randomGlob, out, "--assumeOrdered=false", "--runner=DirectRunner");
      measure(r, command, logs.resolve(id + ".log"));
      probeRowsNotes(r);
      if (r.ok()) {
        checkProbeRows(r, out, input);
      }
      deleteRecursively(out);
    }

    List<Result> list = new ArrayList<>(results.values());
    System.out.println(table(size, input, genRandom, genSorted, results));
    System.out.flush();
    if (!keep) {
      deleteRecursively(dir);
    }
    return list;
  }

  private static Result result(String id, String label, String layout) {
    Result r = new Result();
    r.id = id;
    r.label = label;
    r.layout = layout;
    return r;
  }

  private double generate(long size, Path folder, boolean sorted, Path logs) throws Exception {
    List<String> command = launcher();
    command.add("generate");
    command.add("--output=" + folder);
    command.add("--events=" + size);
    command.add("--files=" + files);
    command.add("--seed=" + seed);
    if (sorted) {
      command.add("--sorted");
    }
    Result r = result("generate", "generate", sorted ? "sorted" : "random");
    measure(r, command, logs.resolve("generate-" + (sorted ? "sorted" : "random") + ".log"));
    if (!r.ok()) {
      throw new IllegalStateException("generate failed: " + r.error);
    }
    return r.wallSeconds;
  }

  // ---------------------------------------------------------------------------------------------
  // Output.

  private String table(
      long size, Input input, double genRandom, double genSorted, Map<String, Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%n### %,d events%n%n%,d keys, largest key %,d events; %d files per layout: random"
                + " order %,.1f MB, sorted %,.1f MB (generated in %.1f s and %.1f s).%n%n",
            size,
            input.keys,
            input.largestKey,
            files,
            input.randomBytes / 1e6,
            input.sortedBytes / 1e6,
            genRandom,
            genSorted));
    out.append(
        "| approach | input | status | wall s | events/s | peak RSS MB | vs DuckDB ordered | vs"
            + " floor | in-process s | load | check |\n");
    out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    Result duck = results.get("duckdbOrdered");
    Result floor = results.get("floor");
    for (Result r : results.values()) {
      if (!r.ran) {
        continue;
      }
      out.append(
          String.format(
              "| %s | %s | %s | %.1f | %s | %,d | %s | %s | %s | %.1f | %s |%n",
              r.label,
              r.layout,
              r.ok()
                  ? "ok"
                  : "**"
                      + r.status
                      + "**"
                      + (r.ok() ? "" : " after " + String.format("%.0f s", r.wallSeconds)),
              r.wallSeconds,
              r.ok() ? String.format("%,.0f", size / r.wallSeconds) : "–",
              r.peakRssKb / 1024,
              r == duck ? (r.ok() ? "1.00×" : "–") : ratio(r, duck),
              r == floor ? (r.ok() ? "1.00×" : "–") : ratio(r, floor),
              Double.isNaN(r.innerSeconds) ? "–" : String.format("%.1f", r.innerSeconds),
              r.load1,
              r.check.isEmpty() ? "–" : r.check));
    }
    out.append("\n");
    Result sorted = results.get("sorted");
    Result assumed = results.get("assumeOrdered");
    if (sorted.ran && duck.ran) {
      out.append("- probe-rows sorted vs DuckDB ordered LIST: ");
      if (duck.ok() && sorted.ok()) {
        out.append(
            String.format(
                "%s the time (%.1f s vs %.1f s)",
                ratio(sorted, duck), sorted.wallSeconds, duck.wallSeconds));
      } else if (!duck.ok()) {
        out.append(
            String.format(
                "DuckDB ordered LIST **%s after %.1f s** (peak RSS %,d MB)%s",
                duck.status,
                duck.wallSeconds,
                duck.peakRssKb / 1024,
                duck.error.isEmpty() ? "" : ": " + firstSentence(duck.error)));
      } else {
        out.append("probe-rows sorted " + sorted.status);
      }
      out.append("\n");
    }
    if (sorted.ran && floor.ran) {
      out.append("- probe-rows sorted vs floor: ").append(ratio(sorted, floor)).append("\n");
    }
    if (assumed.ran && floor.ran) {
      out.append("- probe-rows assumeOrdered vs floor: ")
          .append(ratio(assumed, floor))
          .append("\n");
    }
    if (sorted.ran && assumed.ran) {
      out.append("- speed-up of assumeOrdered (sorted input) over the sorted path (random input): ")
          .append(ratio(sorted, assumed))
          .append("\n");
    }
    Result unordered = results.get("duckdbUnordered");
    if (assumed.ran && unordered.ran) {
      out.append("- probe-rows assumeOrdered vs DuckDB unordered LIST (both on sorted input): ")
          .append(ratio(assumed, unordered))
          .append("\n");
    }
    for (Result r : results.values()) {
      if (r.ran && !r.notes.isEmpty()) {
        out.append("- ").append(r.id).append(": ").append(r.notes).append("\n");
      }
    }
    for (Result r : results.values()) {
      if (r.ran && !r.ok()) {
        out.append("- ")
            .append(r.id)
            .append(" ")
            .append(r.status)
            .append(": `")
            .append(truncate(r.error.replace("\n", " | "), 600).replace("`", "'"))
            .append("`\n");
      }
    }
    return out.toString();
  }

  private static String ratio(Result r, Result reference) {
    if (!r.ok() || !reference.ran || !reference.ok()) {
      return "–";
    }
    return String.format("%.2f×", r.wallSeconds / reference.wallSeconds);
  }

  /** DuckDB's errors go on with a list of possible solutions: the first sentence says it. */
  private static String firstSentence(String error) {
    int cut = error.indexOf("Possible solutions");
    return truncate((cut > 0 ? error.substring(0, cut) : error).trim(), 240);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  private String machine() {
    StringBuilder out = new StringBuilder();
    out.append("## Machine\n\n");
    out.append("- date: ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))
        .append("\n");
    out.append("- cores (nproc): ").append(Runtime.getRuntime().availableProcessors()).append("\n");
    out.append("- CPU: ").append(cpuModel()).append("\n");
    out.append("- memory: ").append(memTotal()).append("\n");
    out.append("- Java: ")
        .append(System.getProperty("java.vm.name"))
        .append(" ")
        .append(System.getProperty("java.runtime.version"))
        .append("\n");
    out.append(String.format("- load average at start: %.2f%n", load1()));
    out.append(
        String.format(
            "- settings: probe-rows `--parallelism=%d`, heap -Xmx%s (DirectRunner -Xmx%s, up to %,d"
                + " events); DuckDB threads=%d, memory_limit='%s'; floor %d threads, -Xmx%s; %d"
                + " input files per layout, seed %d%n",
            parallelism,
            xmx,
            directXmx,
            directMax,
            parallelism,
            duckdbMemory,
            parallelism,
            xmx,
            files,
            seed));
    return out.toString();
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String memTotal() {
    try (Stream<String> lines = Files.lines(Paths.get("/proc/meminfo"))) {
      return lines
          .filter(l -> l.startsWith("MemTotal:"))
          .findFirst()
          .map(
              l ->
                  String.format(
                      Locale.ROOT,
                      "%.1f GiB",
                      Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
