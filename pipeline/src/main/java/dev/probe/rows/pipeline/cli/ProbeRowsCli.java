package dev.probe.rows.pipeline.cli;

import dev.probe.rows.InputPlan;
import dev.probe.rows.InvalidInputException;
import dev.probe.rows.SelfCheckFailed;
import dev.probe.rows.StorageException;
import dev.probe.rows.parquet.KeyRange;
import dev.probe.rows.pipeline.ProbeRowsOptions;
import dev.probe.rows.pipeline.RunnerSupport;
import dev.probe.rows.pipeline.StorageOptions;
import dev.probe.rows.pipeline.UsageException;
import dev.probe.rows.pipeline.diagnose.DiagnoseCommand;
import dev.probe.rows.pipeline.diagnose.DiagnoseOptions;
import dev.probe.rows.pipeline.generate.EventGenerator;
import dev.probe.rows.pipeline.generate.GenerateOptions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code probe-rows} command: {@code run}, {@code generate}, {@code --help}. Errors end with
 * one line and an {@link ExitStatus}; {@code --verbose} adds the stack trace.
 */
public final class ProbeRowsCli {
  /** Beam's error for a path whose scheme no filesystem serves, e.g. s3:// for s3a://. */
  private static final Pattern UNKNOWN_SCHEME =
      Pattern.compile("No filesystem found for scheme (\\S+)");

  private final RunnerSupport runners;
  private final PrintStream out;
  private final PrintStream err;

  public ProbeRowsCli(RunnerSupport runners, PrintStream out, PrintStream err) {
    this.runners = runners;
    this.out = out;
    this.err = err;
  }

  public ExitStatus execute(String... args) {
    if (args.length == 0) {
      printHelp(err);
      return ExitStatus.USAGE_ERROR;
    }
    List<String> options = Arrays.asList(args).subList(1, args.length);
    if (isHelp(args[0]) || options.stream().anyMatch(ProbeRowsCli::isHelp)) {
      printHelp(out);
      return ExitStatus.DONE;
    }
    boolean verbose = options.contains("--verbose") || options.contains("--verbose=true");
    String[] rest = options.toArray(new String[0]);
    try {
      switch (args[0]) {
        case "run":
          new RunCommand(runners, out, err)
              .run(CommandLine.parse(rest, ProbeRowsOptions.class, runners.defaultRunner()));
          return ExitStatus.DONE;
        case "generate":
          GenerateOptions generate = CommandLine.parse(rest, GenerateOptions.class, null);
          Path[] files = EventGenerator.generate(generate);
          out.printf(
              "probe-rows: wrote %,d events in %d files to %s%n",
              generate.getEvents(), files.length, generate.getOutput());
          return ExitStatus.DONE;
        case "diagnose":
          new DiagnoseCommand(runners, out)
              .run(CommandLine.parse(rest, DiagnoseOptions.class, runners.defaultRunner()));
          return ExitStatus.DONE;
        default:
          throw new UsageException(
              "unknown command '" + args[0] + "'; the commands are run, generate and diagnose");
      }
    } catch (UsageException e) {
      err.println("probe-rows: " + e.getMessage() + " (see probe-rows --help)");
      return ExitStatus.USAGE_ERROR;
    } catch (Exception | Error e) {
      String selfCheckError = selfCheckError(e);
      if (selfCheckError != null) {
        err.println("probe-rows: " + selfCheckError);
        printTrace(e, verbose);
        return ExitStatus.INTERNAL_ERROR;
      }
      String inputError = inputError(e);
      if (inputError != null) {
        err.println("probe-rows: " + inputError);
        printTrace(e, verbose);
        return ExitStatus.INPUT_ERROR;
      }
      String memoryError = memoryError(e, Runtime.getRuntime().maxMemory());
      if (memoryError != null) {
        err.println("probe-rows: " + memoryError);
        printTrace(e, verbose);
        return ExitStatus.OUT_OF_MEMORY;
      }
      err.println("probe-rows: internal error: " + rootMessage(e));
      printTrace(e, verbose);
      if (!verbose) {
        err.println("probe-rows: run again with --verbose for the stack trace");
      }
      return ExitStatus.INTERNAL_ERROR;
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }

  /**
   * The message of an {@link InvalidInputException} or a {@link StorageException} anywhere in the
   * cause chain. Runners may replace exceptions with serialized stand-ins whose {@code toString}
   * keeps the class name.
   */
  static String inputError(Throwable failure) {
    // Beam's own words name the scheme, wherever a library wrapped them.
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      Matcher scheme = UNKNOWN_SCHEME.matcher(String.valueOf(cause.getMessage()));
      if (scheme.find()) {
        return "no filesystem serves "
            + scheme.group(1)
            + ":// paths; use a local path, hdfs:// or s3a://";
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InputPlan.NoFilesMatch) {
        return "no files match --input=" + ((InputPlan.NoFilesMatch) cause).glob();
      }
      if (cause instanceof InvalidInputException || cause instanceof StorageException) {
        return cause.getMessage() + remedy(cause.getClass());
      }
      if (String.valueOf(cause.getMessage()).contains("No space left on device")) {
        return "a disk is full (No space left on device): free space, or point --spillDirectory"
            + " at a larger disk";
      }
      String text = String.valueOf(cause);
      for (Class<?> type : INPUT_ERRORS) {
        String prefix = type.getName() + ": ";
        if (text.startsWith(prefix)) {
          return text.substring(prefix.length()).lines().findFirst().orElse("") + remedy(type);
        }
      }
    }
    return null;
  }

  /** The input errors whose serialized stand-ins are recognised by the class name they keep. */
  private static final List<Class<? extends RuntimeException>> INPUT_ERRORS =
      List.of(
          InvalidInputException.class,
          KeyRange.DamagedStatistics.class,
          StorageException.class);

  /** The option that avoids an input error, where one does; the library names no option. */
  private static String remedy(Class<?> error) {
    return error == KeyRange.DamagedStatistics.class
        ? "; run with --assumeOrdered=false, which does not use them"
        : "";
  }

  /**
   * The line for a {@link SelfCheckFailed} anywhere in the cause chain (or its serialized stand-in):
   * the output is wrong because of a bug, and the commit refused to publish it.
   */
  static String selfCheckError(Throwable failure) {
    String prefix = SelfCheckFailed.class.getName() + ": ";
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String text = String.valueOf(cause);
      if (cause instanceof SelfCheckFailed || text.startsWith(prefix)) {
        String detail =
            cause instanceof SelfCheckFailed
                ? cause.getMessage()
                : text.substring(prefix.length()).lines().findFirst().orElse("");
        return "the output failed its self-check (" + detail + "); nothing was published";
      }
    }
    return null;
  }

  /**
   * What to change when the JVM ran out of heap, of direct memory (Parquet's page buffers, Flink's
   * network buffers) or of metaspace, with the heap it had ({@code heapBytes}).
   */
  static String memoryError(Throwable failure, long heapBytes) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (!(cause instanceof OutOfMemoryError
          || String.valueOf(cause).startsWith(OutOfMemoryError.class.getName())
          || lostOutOfMemoryError(cause))) {
        continue;
      }
      String what = String.valueOf(cause.getMessage());
      long heapMb = heapBytes / (1024 * 1024);
      String more = "JAVA_OPTS=-Xmx" + largerHeap(heapMb);
      if (what.contains("Direct buffer memory")) {
        return "out of direct memory with a heap of " + heapMb + " MB (direct memory is capped at"
            + " the heap's size unless -XX:MaxDirectMemorySize says otherwise): give the JVM more"
            + " (" + more + "), or use fewer workers (--parallelism); a probe row's pages are"
            + " buffered whole, so --maxEventsPerRow bounds giant keys";
      }
      if (what.contains("Metaspace")) {
        return "out of memory (Metaspace) with a heap of " + heapMb + " MB: give the JVM more"
            + " metaspace (JAVA_OPTS=-XX:MaxMetaspaceSize=512m)";
      }
      return "out of memory (Java heap space) with a heap of " + heapMb + " MB: give the JVM"
          + " more (" + more + "), or use fewer workers (--parallelism); a probe row is"
          + " buffered whole, about 30 bytes per event, so --maxEventsPerRow bounds giant keys";
    }
    return null;
  }

  /**
   * Flink's {@code ExceptionUtils.tryEnrichOutOfMemoryError} rewrites an OutOfMemoryError's
   * message by reflection; when the JVM does not open java.lang to it (the jar's manifest does,
   * a bare class path does not), it throws this instead and the OutOfMemoryError is lost.
   */
  private static boolean lostOutOfMemoryError(Throwable cause) {
    return cause.getClass().getName().equals("java.lang.reflect.InaccessibleObjectException")
        && Arrays.stream(cause.getStackTrace())
            .anyMatch(frame -> frame.getMethodName().equals("tryEnrichOutOfMemoryError"));
  }

  /** Twice {@code heapMb}, as an -Xmx value. */
  private static String largerHeap(long heapMb) {
    long twice = 2 * Math.max(1, heapMb);
    return twice >= 1024 ? (twice + 1023) / 1024 + "g" : (twice + 63) / 64 * 64 + "m";
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root).lines().findFirst().orElse(root.getClass().getName());
  }

  private void printTrace(Throwable failure, boolean verbose) {
    if (verbose) {
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      err.print(trace);
    }
  }

  private void printHelp(PrintStream stream) {
    stream.println(
        "probe-rows: Parquet events to probe rows, one row per key with its events in time order.");
    stream.println();
    stream.println("usage:");
    stream.println("  probe-rows run --input=GLOB --output=DIR [options]");
    stream.println("  probe-rows generate --output=DIR [--events=N] [options]");
    stream.println("  probe-rows diagnose --input=GLOB [--json] [options]");
    stream.println("  probe-rows --help");
    stream.println();
    stream.println("Options are --name=value; a boolean may be given bare (--overwrite).");
    stream.println();
    stream.println("run options:");
    CommandLine.printOptions(ProbeRowsOptions.class, stream);
    stream.println();
    stream.println("runner options:");
    stream.print(runners.optionsHelp());
    stream.println();
    stream.println("generate options:");
    CommandLine.printOptions(GenerateOptions.class, stream);
    stream.println();
    stream.println("diagnose options:");
    CommandLine.printOptions(DiagnoseOptions.class, stream);
    stream.println();
    stream.println("storage options (run and diagnose):");
    CommandLine.printOptions(StorageOptions.class, stream);
    stream.println();
    stream.println(
        "exit status: 0 done, 1 internal error, 2 usage error, 3 input, output or storage error"
            + " (a full disk too), 4 out of memory.");
  }
}
