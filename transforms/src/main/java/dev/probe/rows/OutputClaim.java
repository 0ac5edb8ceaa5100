package dev.probe.rows;

import dev.probe.rows.sort.LocalFolders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A run's hold on its output folder: at most one run at a time writes an output.
 *
 * <p>Local disks and HDFS can create a file only if it is absent, atomically; S3A (Hadoop 3.4.1)
 * cannot: its {@code create(path, false)} checks for the object and then uploads, and two clients
 * can both pass the check. So the claim works the same way on every store, with plain writes and
 * listings: a run writes a claim file of its own ({@code claim-<run id>} in the work folder beside
 * the output) and then lists the claims. It holds the output if its claim is the only one; if it
 * sees another, it withdraws its claim, waits a random moment and looks again: a claim still there
 * belongs to a run that holds the output (it is then reported), none means two runs collided, and
 * it tries again.
 *
 * <p>Two runs can never both hold the output, on a store whose writes are visible to every listing
 * that starts after they complete (local disks, HDFS, and S3 since its strong consistency): of two
 * runs, the one whose claim completed second lists after both claims exist, and sees the other's.
 * Two runs that keep colliding both give up after a few rounds; one of them then fails although the
 * other has not taken the output either, which is safe and, with random waits, rare.
 *
 * <p>For internal use only; no backwards-compatibility guarantees.
 */
@Internal
public final class OutputClaim {
  private static final String PREFIX = "claim-";
  private static final int ROUNDS = 6;

  private final OutputDirectory output;
  private final ResourceId file;

  private OutputClaim(OutputDirectory output, ResourceId file) {
    this.output = output;
    this.file = file;
  }

  /**
   * Takes {@code output} for the run {@code me}.
   *
   * @param takeOverEnded whether a claim left by a run that has ended without releasing it (a run
   *     on this machine whose process is gone) is removed, with that run's staging and spill
   *     folders, instead of reported
   * @throws OutputInUse if another run holds the output, or held it and ended without releasing it
   */
  public static OutputClaim take(OutputDirectory output, Holder me, boolean takeOverEnded)
      throws IOException {
    ResourceId mine =
        output.workDirectory().resolve(PREFIX + me.runId, StandardResolveOptions.RESOLVE_FILE);
    for (int round = 0; round < ROUNDS; round++) {
      List<Claim> others = claims(output);
      if (!others.isEmpty()) {
        Claim first = others.get(0);
        if (!(takeOverEnded && others.stream().allMatch(other -> other.holder.hasEnded()))) {
          throw new OutputInUse(output.path(), first.holder, first.age(), first.file.toString());
        }
        for (Claim ended : others) {
          ended.removeLeftovers(output);
        }
        continue;
      }
      write(mine, me);
      if (claims(output).stream().allMatch(claim -> claim.file.equals(mine))) {
        return new OutputClaim(output, mine);
      }
      delete(mine);
      sleepQuietly(Duration.ofMillis(ThreadLocalRandom.current().nextLong(50, 500)));
    }
    List<Claim> others = claims(output);
    Holder holder = others.isEmpty() ? null : others.get(0).holder;
    throw new OutputInUse(
        output.path(),
        holder == null ? Holder.unknown("another run") : holder,
        others.isEmpty() ? Duration.ZERO : others.get(0).age(),
        others.isEmpty() ? mine.toString() : others.get(0).file.toString());
  }

  /** Gives the output up: removes the claim, and the work folder if nothing else is in it. */
  public void release() throws IOException {
    delete(file);
    OutputDirectory.removeIfEmpty(output.workDirectory());
  }

  /** The claims in the output's work folder, oldest first. */
  private static List<Claim> claims(OutputDirectory output) throws IOException {
    MatchResult result =
        FileSystems.match(
                List.of(output.workDirectory() + PREFIX + "*"), EmptyMatchTreatment.ALLOW)
            .get(0);
    List<Claim> claims = new ArrayList<>();
    if (result.status() != MatchResult.Status.NOT_FOUND) {
      for (MatchResult.Metadata metadata : result.metadata()) {
        claims.add(Claim.read(metadata));
      }
    }
    claims.sort(Comparator.comparing(claim -> claim.holder.started));
    return claims;
  }

  /**
   * Writes the claim under a name no listing of claims matches, then renames it: a run that lists
   * it reads it whole, never half written and nameless.
   */
  private static void write(ResourceId file, Holder holder) throws IOException {
    ResourceId writing =
        file.getCurrentDirectory()
            .resolve("writing-" + file.getFilename(), StandardResolveOptions.RESOLVE_FILE);
    try (Writer out =
        new OutputStreamWriter(
            Channels.newOutputStream(FileSystems.create(writing, MimeTypes.TEXT)),
            StandardCharsets.UTF_8)) {
      out.write(holder.toText());
    }
    FileSystems.rename(List.of(writing), List.of(file));
  }

  private static void delete(ResourceId file) throws IOException {
    FileSystems.delete(List.of(file), StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A claim file and what it says. */
  private static final class Claim {
    final ResourceId file;
    final Holder holder;

    Claim(ResourceId file, Holder holder) {
      this.file = file;
      this.holder = holder;
    }

    static Claim read(MatchResult.Metadata metadata) throws IOException {
      ResourceId file = metadata.resourceId();
      String runId = file.getFilename().substring(PREFIX.length());
      String text;
      try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        // Withdrawn meanwhile, or still being written: known by its name only.
        text = "";
      }
      Holder holder = Holder.parse(text, runId, Instant.ofEpochMilli(metadata.lastModifiedMillis()));
      return new Claim(file, holder);
    }

    Duration age() {
      return Duration.between(holder.started, Instant.now());
    }

    /** Removes what a run that ended without cleaning up left: staging, spill, claim. */
    void removeLeftovers(OutputDirectory output) throws IOException {
      output.removeStaging(holder.runId);
      if (!holder.spill.isEmpty()) {
        LocalFolders.deleteRecursively(Paths.get(holder.spill));
      }
      delete(file);
    }
  }

  /** Who holds, or held, an output: the run, its user, machine and process, and its spill folder. */
  public static final class Holder {
    private final String runId;
    private final String user;
    private final String host;
    private final long pid;
    private final Instant started;
    private final String spill;

    private Holder(
        String runId, String user, String host, long pid, Instant started, String spill) {
      this.runId = runId;
      this.user = user;
      this.host = host;
      this.pid = pid;
      this.started = started;
      this.spill = spill;
    }

    /** The run {@code runId} of this process, which spills into {@code spill} on this machine. */
    public static Holder thisProcess(String runId, String spill) {
      return new Holder(
          runId,
          System.getProperty("user.name", "?"),
          localHost(),
          ProcessHandle.current().pid(),
          Instant.now().truncatedTo(ChronoUnit.MILLIS),
          spill);
    }

    static Holder unknown(String runId) {
      return new Holder(runId, "?", "?", -1, Instant.now(), "");
    }

    String toText() {
      return String.join(
          "\n",
          "run=" + runId,
          "user=" + user,
          "host=" + host,
          "pid=" + pid,
          "started=" + started,
          "spill=" + spill,
          "");
    }

    static Holder parse(String text, String runId, Instant modified) {
      Map<String, String> fields =
          text.lines()
              .filter(line -> line.contains("="))
              .collect(
                  Collectors.toMap(
                      line -> line.substring(0, line.indexOf('=')),
                      line -> line.substring(line.indexOf('=') + 1),
                      (a, b) -> b));
      Instant started;
      long pid;
      try {
        started = Instant.parse(fields.getOrDefault("started", modified.toString()));
        pid = Long.parseLong(fields.getOrDefault("pid", "-1"));
      } catch (RuntimeException e) {
        started = modified;
        pid = -1;
      }
      return new Holder(
          runId,
          fields.getOrDefault("user", "?"),
          fields.getOrDefault("host", "?"),
          pid,
          started,
          fields.getOrDefault("spill", ""));
    }

    /**
     * Whether the run has ended: it ran on this machine and its process is gone (or its process
     * id now belongs to a process started after the run). A run on another machine, or whose
     * claim is still being written, is never known to have ended.
     */
    public boolean hasEnded() {
      if (pid < 0 || !host.equals(localHost())) {
        return false;
      }
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isEmpty() || !process.get().isAlive()) {
        return true;
      }
      Optional<Instant> processStarted = process.get().info().startInstant();
      return processStarted.isPresent() && processStarted.get().isAfter(started.plusSeconds(1));
    }

    /** E.g. {@code run 3f2c… of alice@host1 (pid 4242), started 2025-01-02T03:04:05Z}. */
    public String describe() {
      return String.format(
          "run %s of %s@%s (pid %s), started %s",
          runId, user, host, pid < 0 ? "?" : Long.toString(pid), started);
    }

    private static String localHost() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return System.getenv().getOrDefault("HOSTNAME", "localhost");
      }
    }
  }

  /** The output is held by another run, or was, by a run that ended without releasing it. */
  public static final class OutputInUse extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Holder holder;
    private final Duration age;
    private final String claim;

    OutputInUse(String output, Holder holder, Duration age, String claim) {
      super(
          String.format(
              "%s is %s %s, %s ago (its claim: %s)",
              output,
              holder.hasEnded() ? "still claimed by the ended" : "in use by",
              holder.describe(),
              formatAge(age),
              claim));
      this.holder = holder;
      this.age = age;
      this.claim = claim;
    }

    public Holder holder() {
      return holder;
    }

    public Duration age() {
      return age;
    }

    /** The claim file, to delete by hand once its run is known to be gone. */
    public String claim() {
      return claim;
    }

    /** E.g. {@code 42 s}, {@code 5 min}, {@code 3 h 12 min}. */
    public static String formatAge(Duration age) {
      long seconds = Math.max(0, age.getSeconds());
      if (seconds < 120) {
        return seconds + " s";
      }
      if (seconds < 7200) {
        return seconds / 60 + " min";
      }
      return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
  }
}
