package dev.probe.rows.runners.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
 * The probe-rows benchmark (issue 4, item 5; issue 18, items 1 and 3): for each size and data
 * shape, makes one input in several layouts (random order; sorted by key and time; and, by {@link
 * SortedLayouts}, hashed and time-windowed with each file sorted) and runs every approach on the
 * same files, each in a process of its own, measuring wall time around the process and its peak RSS
 * (the {@code VmHWM} of {@code /proc/PID/status}, polled). Every output is checked against a
 * reference computed from the input itself. Prints one Markdown table per size and shape, with the
 * ratios of probe-rows to each anchor, and writes a chart of all of them.
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
 *   <li>{@code bench.parallelism} ({@code 2}): probe-rows' {@code --parallelism}, DuckDB's threads,
 *       Polars' threads and the floor's threads
 *   <li>{@code bench.files} ({@code 4}), {@code bench.seed} ({@code 42}): the generated input
 *   <li>{@code bench.shapes}: comma-separated subset of {@value #ALL_SHAPES}
 *   <li>{@code bench.layouts}: comma-separated subset of {@value #EXTRA_LAYOUTS}, the sorted
 *       layouts besides a global sort on which the assumeOrdered path, DuckDB's unordered LIST and
 *       the floor also run
 *   <li>{@code bench.duckdbMemory} ({@code 16GB}): DuckDB's {@code memory_limit}, for the anchors
 *       and for the harness's own checks
 *   <li>{@code bench.duckdb2Jar}: DuckDB 2's JDBC jar, run from a class path of its own
 *   <li>{@code bench.node} ({@code node}) and {@code bench.polarsScript}: the Polars anchor
 *   <li>{@code bench.chart}: the SVG chart to write
 *   <li>{@code bench.timeoutMinutes} ({@code 60}) per approach
 *   <li>{@code bench.approaches}: comma-separated subset of {@value #ALL_APPROACHES}
 *   <li>{@code bench.orderCheck} ({@code true}): also count probe rows whose events are out of time
 *       order (in DuckDB, over every output)
 * </ul>
 */
public final class Benchmark {
  static final String ALL_APPROACHES =
      "sorted,assumeOrdered,direct,duckdbOrdered,duckdb2Ordered,polars,duckdbUnordered,floor";
  static final String ALL_SHAPES = "events,wide";
  static final String EXTRA_LAYOUTS = SortedLayouts.HASHED + "," + SortedLayouts.WINDOWED;

  /** The layouts every run writes: what the ratio table and the chart compare. */
  private static final String RANDOM = "random";

  private static final String SORTED = "sorted";

  /**
   * Both shapes' key and time columns, the defaults of probe-rows' --keyColumn and --sortColumn.
   */
  static final String KEY = "src_addr";

  static final String TIME = "event_time";

  private static final Pattern SUMMARY =
      Pattern.compile(
          "probe-rows: read ([\\d,]+) rows from [\\d,]+ files; wrote ([\\d,]+) probe rows .*"
              + " with ([\\d,]+) events .*; ([\\d.]+) s, peak heap");
  private static final Pattern PROGRESS =
      Pattern.compile(
          "probe-rows: (\\d+) s: read ([\\d,]+) of ([\\d,]+) rows .*wrote ([\\d,]+) probe rows with"
              + " ([\\d,]+) events, sort spill ([\\d,]+) MB");
  private static final Pattern BENCH_LINE = Pattern.compile("BENCH (\\w+)=(.*)");
  private static final Pattern OWN_KEYS =
      Pattern.compile("([\\d,]+) of ([\\d,]+) row groups wrote the keys they alone hold");
  private static final Pattern KEY_RANGES =
      Pattern.compile("([\\d,]+) key ranges merged from files each sorted by key \\(([\\d,]+) were");

  private final Path launcher;
  private final Path data;
  private final boolean keep;
  private final String xmx;
  private final String directXmx;
  private final long directMax;
  private final int parallelism;
  private final int files;
  private final long seed;
  private final List<String> shapes;
  private final List<String> extraLayouts;
  private final String duckdbMemory;
  private final Path duckdb2Jar;
  private final String node;
  private final Path polarsScript;
  private final Path chart;
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
    shapes = list(System.getProperty("bench.shapes", ALL_SHAPES));
    extraLayouts = list(System.getProperty("bench.layouts", EXTRA_LAYOUTS));
    duckdbMemory = System.getProperty("bench.duckdbMemory", "16GB");
    duckdb2Jar = Paths.get(System.getProperty("bench.duckdb2Jar", "duckdb_jdbc.jar"));
    node = System.getProperty("bench.node", "node");
    polarsScript = Paths.get(System.getProperty("bench.polarsScript", "bench/polars-group.js"));
    chart = Paths.get(System.getProperty("bench.chart", "bench/benchmark-chart.svg"));
    timeoutMinutes = Long.parseLong(System.getProperty("bench.timeoutMinutes", "60"));
    approaches = Set.copyOf(list(System.getProperty("bench.approaches", ALL_APPROACHES)));
    orderCheck = Boolean.parseBoolean(System.getProperty("bench.orderCheck", "true"));
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toList());
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
    String legend;
    String layout;
    boolean ran;

    /** What the process said it is (DuckDB's and Polars' own version), if anything. */
    String version = "";

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

    /**
     * What probe-rows' assumeOrdered path wrote without a shuffle: "N of M row groups" that wrote
     * the keys they alone hold, or the key ranges it merged from files each sorted by key.
     */
    String withoutShuffle = "";

    Path log;

    boolean ok() {
      return ran && status.equals("ok");
    }

    /** Ran to the end and its output matched the reference. */
    boolean right() {
      return ok() && checkOk;
    }

    String name() {
      return version.isEmpty() ? label : label + ", " + version;
    }

    String legendName() {
      return version.isEmpty() ? legend : legend + " " + version;
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
        "bench: %s on %s input (load %.2f) ... ", result.legend, result.layout, result.load1);
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
    for (String key : List.of("duckdb_version", "polars_version")) {
      result.version = bench.getOrDefault(key, result.version);
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
    return java(heap, classPath, main, args);
  }

  private List<String> java(String heap, String classPath, Class<?> main, String... args) {
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

  /**
   * DuckDB's LIST query, on this class path's DuckDB or, for DuckDB 2, on a class path of its own
   * (these classes and its jar alone): the two drivers share their class names.
   */
  private List<String> duckdbQuery(
      boolean duckdb2, boolean ordered, String input, Path output, Path duckTmp) throws Exception {
    String[] args = {
      ordered ? "ordered" : "unordered",
      input,
      output.toString(),
      duckTmp.toString(),
      String.valueOf(parallelism),
      duckdbMemory,
      KEY,
      TIME
    };
    if (!duckdb2) {
      return testClass("256m", DuckDbQuery.class, args);
    }
    Path ownClasses =
        Paths.get(DuckDbQuery.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return java("256m", ownClasses + ":" + duckdb2Jar, DuckDbQuery.class, args);
  }

  private List<String> polars(String input, Path output) {
    return new ArrayList<>(
        List.of(
            "env",
            "POLARS_MAX_THREADS=" + parallelism,
            node,
            polarsScript.toString(),
            input,
            output.toString(),
            KEY,
            TIME));
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
      Matcher ownKeys = OWN_KEYS.matcher(line);
      if (ownKeys.find()) {
        result.withoutShuffle = ownKeys.group(1) + " of " + ownKeys.group(2) + " row groups";
      }
      Matcher keyRanges = KEY_RANGES.matcher(line);
      if (keyRanges.find() && number(keyRanges.group(1)) + number(keyRanges.group(2)) > 0) {
        result.withoutShuffle =
            keyRanges.group(1) + " key ranges (" + keyRanges.group(2) + " fell back)";
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
  // Checks, in DuckDB in this process, between the measurements. Every output is compared with a
  // reference computed from the input itself, not with another approach's output, so that no
  // approach can make another look right or wrong.

  /** What is known of one shape's input at one size. */
  static final class Input {
    long rows;
    long keys;
    long largestKey;

    /**
     * Events that share key and time with another event: only their order rests on the tie rule.
     */
    long tiedEvents;

    /** Each layout's files' size. */
    final Map<String, Long> layoutBytes = new LinkedHashMap<>();

    String keyType;

    /** Name and DuckDB type of every column but the key, in input order. */
    final List<String[]> eventColumns = new ArrayList<>();

    /**
     * Per layout: its rows as a multiset ("count:sum of row hashes"), for the floor. The sorted
     * layout of the events shape is a draw of its own ({@code generate --sorted}: the same keys and
     * times, other payloads); the hashed and windowed layouts hold the random layout's rows.
     */
    final Map<String, String> rowFingerprint = new LinkedHashMap<>();

    /**
     * Per layout: the right answer, each key with its events in time order, ties in input order.
     */
    final Map<String, String> answerFingerprint = new LinkedHashMap<>();

    long stringColumns() {
      return eventColumns.stream().filter(c -> c[1].equals("VARCHAR")).count();
    }
  }

  /** The most rows {@link #answerFingerprint} gives DuckDB's window at once. */
  private static final long ANSWER_PART_ROWS = 25_000_000;

  private Connection duckdb() throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET threads=" + parallelism);
      // An in-memory database spills into ./.tmp otherwise, which would be the repository.
      statement.execute("SET temp_directory=" + sqlString(tmp()));
      // DuckDB's default is 80% of the machine: the reference's window over 100M events took 20 GB
      // of this process before the kernel killed it. With the anchors' limit it spills instead.
      statement.execute("SET memory_limit=" + sqlString(duckdbMemory));
    }
    return connection;
  }

  private static String[] values(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      String[] values = new String[rows.getMetaData().getColumnCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = rows.getString(i + 1);
      }
      return values;
    }
  }

  private static long[] longs(Connection connection, String sql) throws SQLException {
    return Arrays.stream(values(connection, sql))
        .mapToLong(v -> v == null ? 0 : Long.parseLong(v))
        .toArray();
  }

  static String sqlString(Object text) {
    return "'" + text.toString().replace("'", "''") + "'";
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String readParquet(Path folder) {
    return "read_parquet(" + sqlString(folder.resolve("*.parquet")) + ")";
  }

  /**
   * What the layouts hold and each one's right answer, checking that each holds as many rows as the
   * random layout and that the layouts made from it ({@link SortedLayouts}) hold exactly its rows.
   */
  private Input describe(Map<String, Path> layouts) throws Exception {
    Path random = layouts.get(RANDOM);
    Input input = new Input();
    try (Connection db = duckdb()) {
      try (Statement statement = db.createStatement();
          ResultSet columns =
              statement.executeQuery("DESCRIBE SELECT * FROM " + readParquet(random))) {
        while (columns.next()) {
          String name = columns.getString("column_name");
          String type = columns.getString("column_type");
          if (name.equals(KEY)) {
            input.keyType = type;
          } else {
            input.eventColumns.add(new String[] {name, type});
          }
        }
      }
      long[] facts =
          longs(
              db,
              "SELECT sum(c), count(*), max(c) FROM (SELECT count(*) AS c FROM "
                  + readParquet(random)
                  + " GROUP BY "
                  + quote(KEY)
                  + ")");
      input.rows = facts[0];
      input.keys = facts[1];
      input.largestKey = facts[2];
      input.tiedEvents =
          longs(
              db,
              "SELECT sum(c) FROM (SELECT count(*) AS c FROM "
                  + readParquet(random)
                  + " GROUP BY "
                  + quote(KEY)
                  + ", "
                  + quote(TIME)
                  + " HAVING count(*) > 1)")[0];
      for (Map.Entry<String, Path> layout : layouts.entrySet()) {
        String rows = rowFingerprint(db, input, layout.getValue());
        input.rowFingerprint.put(layout.getKey(), rows);
        boolean fromRandom = !layout.getKey().equals(RANDOM) && !layout.getKey().equals(SORTED);
        if (!rows.startsWith(input.rows + ":")
            || fromRandom && !rows.equals(input.rowFingerprint.get(RANDOM))) {
          throw new IllegalStateException(
              "the " + layout.getKey() + " layout does not hold the random layout's rows");
        }
        input.answerFingerprint.put(
            layout.getKey(), answerFingerprint(db, input, layout.getValue()));
        input.layoutBytes.put(layout.getKey(), bytes(layout.getValue()));
      }
    }
    return input;
  }

  /** A folder's rows as a multiset: count and the sum of row hashes. */
  private static String rowFingerprint(Connection db, Input input, Path folder)
      throws SQLException {
    return values(
        db,
        "SELECT count(*) || ':' || sum(hash("
            + quote(KEY)
            + "::"
            + input.keyType
            + ", "
            + columnsCast(input, "")
            + "))::VARCHAR FROM "
            + readParquet(folder))[0];
  }

  private static long bytes(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /**
   * Every event column, cast to its input type, so that a writer's choice of physical type (Polars'
   * strings, say) does not change the fingerprint while any changed value does.
   */
  private static String columnsCast(Input input, String prefix) {
    return input.eventColumns.stream()
        .map(c -> prefix + quote(c[0]) + "::" + c[1])
        .collect(Collectors.joining(", "));
  }

  /**
   * The fingerprint of the right answer: the sum over keys of hash(key, sum over the key's events
   * of hash(position, event)), positions counted in time order with ties in input order (files by
   * name, then row). Order-independent across keys, order-dependent within one, and computed with a
   * window, not with the ordered LIST under test.
   *
   * <p>The window holds its input whole: over 100M events it outgrew 16 GB. So it runs on one part
   * of the keys at a time, at most {@link #ANSWER_PART_ROWS} rows each, and the parts' sums, exact
   * in DuckDB's HUGEINT, are added here.
   */
  private String answerFingerprint(Connection db, Input input, Path layout) throws SQLException {
    long parts = Math.max(1, (input.rows + ANSWER_PART_ROWS - 1) / ANSWER_PART_ROWS);
    BigInteger sum = BigInteger.ZERO;
    for (long part = 0; part < parts; part++) {
      String partSum =
          values(
              db,
              "SELECT coalesce(sum(hash(k, s)), 0)::VARCHAR FROM (SELECT k, sum(hash(position, h))"
                  + " AS s FROM (SELECT "
                  + quote(KEY)
                  + "::"
                  + input.keyType
                  + " AS k, row_number() OVER (PARTITION BY "
                  + quote(KEY)
                  + " ORDER BY "
                  + quote(TIME)
                  + ", filename, file_row_number) AS position, hash("
                  + columnsCast(input, "")
                  + ") AS h FROM read_parquet("
                  + sqlString(layout.resolve("*.parquet"))
                  + ", filename=true, file_row_number=true) WHERE hash("
                  + quote(KEY)
                  + "::"
                  + input.keyType
                  + ") % "
                  + parts
                  + " = "
                  + part
                  + ") GROUP BY k)")[0];
      sum = sum.add(new BigInteger(partSum));
    }
    return sum.toString();
  }

  /** The same fingerprint over a grouped output's rows. */
  private static String outputFingerprint(Input input) {
    return "sum(hash("
        + quote(KEY)
        + "::"
        + input.keyType
        + ", list_sum(list_transform(events, lambda e, i: hash(i::BIGINT, hash("
        + columnsCast(input, "e.")
        + "))))))::VARCHAR";
  }

  private String unorderedSql() {
    return orderCheck
        ? "count(*) FILTER (WHERE list_transform(events, lambda e: e."
            + quote(TIME)
            + ") <> list_sort(list_transform(events, lambda e: e."
            + quote(TIME)
            + ")))"
        : "-1";
  }

  /**
   * A grouped output (probe-rows', DuckDB's, Polars'): one row per key, every event once, and the
   * same fingerprint as the right answer for the layout the approach read.
   */
  private void checkGrouped(Result result, String outputGlob, Input input, boolean probeRows) {
    try (Connection db = duckdb()) {
      String[] v =
          values(
              db,
              "SELECT count(*), coalesce(sum(len(events)), 0), "
                  + (probeRows ? "coalesce(sum(event_count), 0)" : "-1")
                  + ", "
                  + unorderedSql()
                  + ", "
                  + outputFingerprint(input)
                  + " FROM read_parquet("
                  + sqlString(outputGlob)
                  + ")");
      long rows = Long.parseLong(v[0]);
      long events = Long.parseLong(v[1]);
      long eventCount = Long.parseLong(v[2]);
      long unordered = Long.parseLong(v[3]);
      boolean sameAnswer = String.valueOf(v[4]).equals(input.answerFingerprint.get(result.layout));
      result.checkOk =
          rows == input.keys
              && events == input.rows
              && (!probeRows || eventCount == input.rows)
              && sameAnswer;
      result.check =
          String.format(
              "%s: %,d rows of %,d keys, %,d events%s, %s%s",
              result.checkOk ? "ok" : "**WRONG**",
              rows,
              input.keys,
              events,
              probeRows ? String.format(", Σ event_count %,d", eventCount) : "",
              sameAnswer ? "fingerprint as the reference" : "**fingerprint differs**",
              !orderCheck
                  ? ""
                  : unordered == 0
                      ? ", 0 out of order"
                      : String.format(", **%,d out of order**", unordered));
    } catch (SQLException e) {
      wrongOutput(result, e);
    }
  }

  /** The floor's output: the input's rows, as a multiset. */
  private void checkFloor(Result result, Path output, Input input) {
    try (Connection db = duckdb()) {
      String rowFingerprint = rowFingerprint(db, input, output);
      long rows = Long.parseLong(rowFingerprint.substring(0, rowFingerprint.indexOf(':')));
      boolean sameRows = rowFingerprint.equals(input.rowFingerprint.get(result.layout));
      result.checkOk = rows == input.rows && sameRows;
      result.check =
          String.format(
              "%s: %,d rows, %s",
              result.checkOk ? "ok" : "**WRONG**",
              rows,
              sameRows ? "fingerprint as the input" : "**fingerprint differs**");
    } catch (SQLException e) {
      wrongOutput(result, e);
    }
  }

  /** An output the check cannot even read (a column missing, say) is a wrong output. */
  private static void wrongOutput(Result result, SQLException e) {
    result.checkOk = false;
    result.check = "**WRONG**: " + truncate(String.valueOf(e.getMessage()).split("\n")[0], 200);
  }

  // ---------------------------------------------------------------------------------------------
  // The run.

  /** One shape at one size: its input and every approach's result, in the tables' order. */
  static final class ShapeRun {
    long size;
    String shape;
    Input input;
    String generated;
    final Map<String, Result> results = new LinkedHashMap<>();
  }

  private void run(List<Long> sizes) throws Exception {
    System.out.println(machine());
    boolean dataExisted = Files.exists(data);
    Files.createDirectories(data);
    Files.createDirectories(tmp());
    created.add(tmp());
    List<ShapeRun> runs = new ArrayList<>();
    try {
      for (long size : sizes) {
        for (String shape : shapes) {
          ShapeRun run = runShape(size, shape);
          runs.add(run);
          System.out.println(table(run));
          System.out.flush();
          // After each table, so that a run stopped part-way still leaves the chart of its tables.
          writeChart(runs);
        }
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
    List<String> notRight = new ArrayList<>();
    for (ShapeRun run : runs) {
      for (Result r : run.results.values()) {
        if (r.ran && !r.right()) {
          notRight.add(
              String.format(
                  "%,d `%s` %s %s", run.size, run.shape, r.id, r.ok() ? "WRONG" : r.status));
        }
      }
    }
    if (!notRight.isEmpty()) {
      System.out.println("\nFailed or wrong in this run: " + String.join("; ", notRight) + ".");
    }
  }

  private void writeChart(List<ShapeRun> runs) throws IOException {
    String title =
        String.format(
            "probe-rows benchmark, %s, %d cores, one run",
            ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")),
            Runtime.getRuntime().availableProcessors());
    Files.createDirectories(chart.toAbsolutePath().getParent());
    Files.writeString(chart, BenchmarkChart.svg(title, runs), StandardCharsets.UTF_8);
    System.err.println("bench: chart written to " + chart);
  }

  private ShapeRun runShape(long size, String shape) throws Exception {
    ShapeRun run = new ShapeRun();
    run.size = size;
    run.shape = shape;
    Path dir = data.resolve(size + "-" + shape);
    deleteRecursively(dir);
    created.add(dir);
    Map<String, Path> layouts = new LinkedHashMap<>();
    for (String layout : concat(List.of(RANDOM, SORTED), extraLayouts)) {
      layouts.put(layout, dir.resolve(layout));
    }
    Path logs = dir.resolve("logs");
    System.err.printf(
        "bench: %,d events, %s shape: writing %d files in each of the layouts %s in %s%n",
        size, shape, files, String.join(", ", layouts.keySet()), dir);
    if (shape.equals("events")) {
      double genRandom = generate(size, layouts.get(RANDOM), false, logs);
      double genSorted = generate(size, layouts.get(SORTED), true, logs);
      run.generated =
          String.format("`probe-rows generate` in %.1f s and %.1f s", genRandom, genSorted);
    } else if (shape.equals("wide")) {
      long start = System.nanoTime();
      try (Connection db = duckdb()) {
        WideEvents.write(db, layouts.get(RANDOM), layouts.get(SORTED), size, files, seed);
      }
      run.generated =
          String.format(
              "the harness's DuckDB (`WideEvents`) in %.1f s", (System.nanoTime() - start) / 1e9);
    } else {
      throw new IllegalArgumentException("unknown shape " + shape + "; shapes: " + ALL_SHAPES);
    }
    try (Connection db = duckdb()) {
      for (String layout : extraLayouts) {
        SortedLayouts.write(db, layouts.get(RANDOM), layout, layouts.get(layout), files);
      }
    }
    Input input = describe(layouts);
    run.input = input;
    if (input.rows != size) {
      throw new IllegalStateException("wrote " + input.rows + " rows, expected " + size);
    }

    Map<String, Result> results = run.results;
    addResults(results);
    for (String layout : layouts.keySet()) {
      String id = onLayout("floor", layout);
      if (!approaches.contains("floor") || !results.containsKey(id)) {
        continue;
      }
      Result r = results.get(id);
      Path out = dir.resolve("out-" + id);
      List<String> args = new ArrayList<>(List.of(out.toString(), String.valueOf(parallelism)));
      try (Stream<Path> inputs = Files.list(layouts.get(layout))) {
        inputs.map(Path::toString).filter(p -> p.endsWith(".parquet")).sorted().forEach(args::add);
      }
      measure(
          r,
          testClass(xmx, FloorCopy.class, args.toArray(new String[0])),
          logs.resolve(id + ".log"));
      if (r.ok()) {
        checkFloor(r, out, input);
      }
      deleteRecursively(out);
    }
    for (Result r : List.copyOf(results.values())) {
      String base = r.id.split("@")[0];
      if (!approaches.contains(base) || !base.startsWith("duckdb")) {
        continue;
      }
      Path out = dir.resolve("out-" + r.id + ".parquet");
      Path duckTmp = dir.resolve("duckdb-tmp-" + r.id);
      Files.createDirectories(duckTmp);
      measure(
          r,
          duckdbQuery(
              base.equals("duckdb2Ordered"),
              !base.equals("duckdbUnordered"),
              glob(layouts, r.layout),
              out,
              duckTmp),
          logs.resolve(r.id + ".log"));
      if (r.ok()) {
        checkGrouped(r, out.toString(), input, false);
      }
      Files.deleteIfExists(out);
      deleteRecursively(duckTmp);
    }
    if (approaches.contains("polars")) {
      Result r = results.get("polars");
      Path out = dir.resolve("out-polars.parquet");
      measure(r, polars(glob(layouts, RANDOM), out), logs.resolve("polars.log"));
      if (r.ok()) {
        checkGrouped(r, out.toString(), input, false);
      }
      Files.deleteIfExists(out);
    }
    for (Result r : List.copyOf(results.values())) {
      String base = r.id.split("@")[0];
      if (!approaches.contains(base)
          || !List.of("sorted", "assumeOrdered", "direct").contains(base)
          || base.equals("direct") && size > directMax) {
        continue;
      }
      Path out = dir.resolve("out-" + r.id);
      String inputGlob = glob(layouts, r.layout);
      List<String> command =
          base.equals("sorted")
              ? probeRows(xmx, inputGlob, out, "--assumeOrdered=false")
              : base.equals("assumeOrdered")
                  ? probeRows(xmx, inputGlob, out, "--assumeOrdered=true")
                  : probeRows(
                      directXmx, inputGlob, out, "--assumeOrdered=false", "--runner=DirectRunner");
      measure(r, command, logs.resolve(r.id + ".log"));
      probeRowsNotes(r);
      if (r.ok()) {
        checkGrouped(r, out.resolve("part-*.parquet").toString(), input, true);
      }
      deleteRecursively(out);
    }
    if (!keep) {
      deleteRecursively(dir);
    }
    return run;
  }

  /**
   * Every approach this harness knows, in the tables' order, not yet run: the ones that read a
   * sorted layout once more for each extra layout.
   */
  private void addResults(Map<String, Result> results) {
    add(
        results,
        "sorted",
        "probe-rows sorted path (`--assumeOrdered=false`, Flink, -Xmx" + xmx + ")",
        "probe-rows sorted",
        RANDOM);
    for (String layout : concat(List.of(SORTED), extraLayouts)) {
      add(
          results,
          onLayout("assumeOrdered", layout),
          "probe-rows assumeOrdered path (`--assumeOrdered=true`, Flink, -Xmx" + xmx + ")",
          "probe-rows assumeOrdered",
          layout);
    }
    add(
        results,
        "direct",
        "probe-rows sorted path on the DirectRunner (-Xmx" + directXmx + ")",
        "probe-rows DirectRunner",
        RANDOM);
    add(
        results,
        "duckdbOrdered",
        "DuckDB ordered LIST (`ORDER BY event_time`)",
        "DuckDB ordered",
        RANDOM);
    add(
        results,
        "duckdb2Ordered",
        "DuckDB 2 ordered LIST (`ORDER BY event_time`)",
        "DuckDB 2 ordered",
        RANDOM);
    add(
        results,
        "polars",
        "Polars `groupBy` + `struct(...).sortBy(time, input row)` (nodejs-polars)",
        "Polars",
        RANDOM);
    for (String layout : concat(List.of(SORTED), extraLayouts)) {
      add(
          results,
          onLayout("duckdbUnordered", layout),
          "DuckDB unordered LIST (old tool's shortcut)",
          "DuckDB unordered",
          layout);
    }
    for (String layout : concat(List.of(RANDOM, SORTED), extraLayouts)) {
      add(
          results,
          onLayout("floor", layout),
          "floor: parquet-mr read + write, no grouping",
          "floor",
          layout);
    }
  }

  /**
   * The id of an approach on a layout: the approach's own on the layout the ratio table and the
   * chart compare it on (random for the floor, sorted for the rest), else {@code approach@layout}.
   */
  private static String onLayout(String approach, String layout) {
    String home = approach.equals("floor") ? RANDOM : SORTED;
    return layout.equals(home) ? approach : approach + "@" + layout;
  }

  private static void add(
      Map<String, Result> results, String id, String label, String legend, String layout) {
    results.put(id, result(id, label, legend, layout));
  }

  private static String glob(Map<String, Path> layouts, String layout) {
    return layouts.get(layout).resolve("*.parquet").toString();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static Result result(String id, String label, String legend, String layout) {
    Result r = new Result();
    r.id = id;
    r.label = label;
    r.legend = legend;
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
    Result r = result("generate", "generate", "generate", sorted ? "sorted" : "random");
    measure(r, command, logs.resolve("generate-" + (sorted ? "sorted" : "random") + ".log"));
    if (!r.ok()) {
      throw new IllegalStateException("generate failed: " + r.error);
    }
    return r.wallSeconds;
  }

  // ---------------------------------------------------------------------------------------------
  // Output.

  /** The anchors probe-rows is compared with, in the ratio table's order. */
  private static final List<String> ANCHORS =
      List.of("duckdbOrdered", "duckdb2Ordered", "polars", "floor", "duckdbUnordered");

  private String table(ShapeRun run) {
    Input input = run.input;
    Map<String, Result> results = run.results;
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%n### %,d events, `%s` shape%n%n%d columns (%s, %s and %d payload columns; %d strings"
                + " in all); %,d keys, largest key %,d events; %,d events share key and time with"
                + " another; %d files per layout (%s), written by %s; the hashed and windowed"
                + " layouts (if any) by the harness's DuckDB from the random one (`SortedLayouts`)."
                + "%n%n",
            run.size,
            run.shape,
            input.eventColumns.size() + 1,
            KEY,
            TIME,
            input.eventColumns.size() - 1,
            input.stringColumns() + (input.keyType.equals("VARCHAR") ? 1 : 0),
            input.keys,
            input.largestKey,
            input.tiedEvents,
            files,
            input.layoutBytes.entrySet().stream()
                .map(e -> String.format("%s %,.1f MB", e.getKey(), e.getValue() / 1e6))
                .collect(Collectors.joining(", ")),
            run.generated));
    out.append(
        "| approach | input | status | wall s | events/s | peak RSS MB | in-process s | load |"
            + " check |\n");
    out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Result r : results.values()) {
      if (!r.ran) {
        continue;
      }
      out.append(
          String.format(
              "| %s | %s | %s | %.1f | %s | %,d | %s | %.1f | %s |%n",
              r.name(),
              r.layout,
              r.right()
                  ? "ok"
                  : r.ok()
                      ? "**WRONG**"
                      : "**" + r.status + "** after " + String.format("%.0f s", r.wallSeconds),
              r.wallSeconds,
              r.ok() ? String.format("%,.0f", run.size / r.wallSeconds) : "–",
              r.peakRssKb / 1024,
              Double.isNaN(r.innerSeconds) ? "–" : String.format("%.1f", r.innerSeconds),
              r.load1,
              r.check.isEmpty() ? "–" : r.check));
    }
    out.append("\n");
    out.append(ratioTable(results));
    out.append(layoutTable(results));
    Result sorted = results.get("sorted");
    Result assumed = results.get("assumeOrdered");
    if (sorted.ran && assumed.ran) {
      out.append("- speed-up of assumeOrdered (sorted input) over the sorted path (random input): ")
          .append(timeRatio(sorted, assumed))
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
            .append(truncate(firstSentence(r.error).replace("\n", " | "), 600).replace("`", "'"))
            .append("`\n");
      }
    }
    return out.toString();
  }

  /**
   * probe-rows' time and peak RSS over each anchor's, both measured in this run: on a noisy machine
   * only ratios within one run are worth comparing across runs.
   */
  private static String ratioTable(Map<String, Result> results) {
    Result sorted = results.get("sorted");
    Result assumed = results.get("assumeOrdered");
    if (!sorted.ran && !assumed.ran) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append(
        "| probe-rows ÷ anchor (this run) | sorted path: time | sorted path: peak RSS |"
            + " assumeOrdered: time | assumeOrdered: peak RSS |\n");
    out.append("| --- | ---: | ---: | ---: | ---: |\n");
    for (String id : ANCHORS) {
      Result anchor = results.get(id);
      if (!anchor.ran) {
        continue;
      }
      out.append(
          String.format(
              "| %s on %s input%s | %s | %s | %s | %s |%n",
              anchor.legendName(),
              anchor.layout,
              anchor.right() ? "" : anchor.ok() ? " (**WRONG**)" : " (**" + anchor.status + "**)",
              timeRatio(sorted, anchor),
              rssRatio(sorted, anchor),
              timeRatio(assumed, anchor),
              rssRatio(assumed, anchor)));
    }
    out.append("\n");
    return out.toString();
  }

  /**
   * The assumeOrdered path on each sorted layout against issue 18's targets for it (item 3): at
   * least 2× faster than the sorted path on the random layout of the same rows, within 1.3× of the
   * floor on the same files and within 3× of DuckDB's unordered LIST on the same files.
   */
  private static String layoutTable(Map<String, Result> results) {
    StringBuilder out = new StringBuilder();
    for (Result assumed : results.values()) {
      if (!assumed.ran || !assumed.id.split("@")[0].equals("assumeOrdered")) {
        continue;
      }
      if (out.length() == 0) {
        out.append(
            "| assumeOrdered path on | wall s | written without a shuffle | ÷ sorted"
                + " path on random (target ≤ 0.50×) | ÷ floor on the same files (≤ 1.30×) | ÷"
                + " DuckDB unordered on the same files (≤ 3.00×) |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
      }
      out.append(
          String.format(
              "| %s%s | %s | %s | %s | %s | %s |%n",
              assumed.layout,
              assumed.right()
                  ? ""
                  : assumed.ok() ? " (**WRONG**)" : " (**" + assumed.status + "**)",
              assumed.ok() ? String.format("%.1f", assumed.wallSeconds) : "–",
              assumed.withoutShuffle.isEmpty() ? "–" : assumed.withoutShuffle,
              timeRatio(assumed, results.get("sorted")),
              timeRatio(assumed, results.get(onLayout("floor", assumed.layout))),
              timeRatio(assumed, results.get(onLayout("duckdbUnordered", assumed.layout)))));
    }
    return out.length() == 0 ? "" : out.append("\n").toString();
  }

  private static String timeRatio(Result r, Result reference) {
    if (!r.ok() || !reference.ok()) {
      return "–";
    }
    return String.format("%.2f×", r.wallSeconds / reference.wallSeconds);
  }

  private static String rssRatio(Result r, Result reference) {
    if (!r.ok() || !reference.ok() || reference.peakRssKb == 0) {
      return "–";
    }
    return String.format("%.2f×", (double) r.peakRssKb / reference.peakRssKb);
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
    if (approaches.contains("polars")) {
      out.append("- Node.js: ").append(firstLine(List.of(node, "--version"))).append("\n");
    }
    out.append(String.format("- load average at start: %.2f%n", load1()));
    out.append(
        String.format(
            "- settings: probe-rows `--parallelism=%d`, heap -Xmx%s (DirectRunner -Xmx%s, up to %,d"
                + " events); DuckDB threads=%d, memory_limit='%s' (DuckDB 2 from %s); Polars"
                + " POLARS_MAX_THREADS=%d; floor %d threads, -Xmx%s; %d input files per layout,"
                + " seed %d; shapes %s; sorted layouts besides the global sort: %s%n",
            parallelism,
            xmx,
            directXmx,
            directMax,
            parallelism,
            duckdbMemory,
            duckdb2Jar.getFileName(),
            parallelism,
            parallelism,
            xmx,
            files,
            seed,
            String.join(", ", shapes),
            extraLayouts.isEmpty() ? "none" : String.join(", ", extraLayouts)));
    return out.toString();
  }

  private static String firstLine(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output.lines().findFirst().orElse("unknown");
    } catch (IOException e) {
      return "not found (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
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
