package dev.probe.rows.pipeline.cli;

import dev.probe.rows.pipeline.UsageException;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/** Beam-style {@code --name=value} options, with errors and help a person can act on. */
final class CommandLine {
  private CommandLine() {}

  private static final Pattern UNKNOWN_PROPERTY =
      Pattern.compile("missing a property named '([^']+)'");

  /**
   * Parses {@code args} into {@code type}. Booleans may be given bare ({@code --overwrite}).
   *
   * @throws UsageException naming the bad argument, with the closest option when one is misspelt
   */
  static <T extends PipelineOptions> T parse(String[] args, Class<T> type, String defaultRunner) {
    List<String> arguments = new ArrayList<>();
    String previous = null;
    boolean runnerGiven = false;
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        if (previous != null && !previous.contains("=")) {
          throw new UsageException(
              "options take their value after '=': write " + previous + "=" + arg);
        }
        throw new UsageException(
            "unexpected argument '" + arg + "'; options look like --name=value");
      }
      runnerGiven |= arg.startsWith("--runner=") || arg.equals("--runner");
      arguments.add(arg);
      previous = arg;
    }
    if (!runnerGiven && defaultRunner != null) {
      arguments.add("--runner=" + defaultRunner);
    }
    PipelineOptionsFactory.register(type);
    try {
      return PipelineOptionsFactory.fromArgs(arguments.toArray(new String[0]))
          .withValidation()
          .as(type);
    } catch (IllegalArgumentException e) {
      throw new UsageException(describe(e, type));
    }
  }

  private static String describe(
      IllegalArgumentException e, Class<? extends PipelineOptions> type) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher unknown = UNKNOWN_PROPERTY.matcher(message);
    if (unknown.find()) {
      String name = unknown.group(1);
      String closest = closest(name, knownOptions(type));
      return "unknown option --"
          + name
          + (closest == null ? "" : "; did you mean --" + closest + "?");
    }
    if (message.startsWith("Missing required value for")) {
      Matcher option = Pattern.compile("\\[--(\\w+)").matcher(message);
      if (option.find()) {
        return "missing --" + option.group(1) + "=...";
      }
    }
    return message.lines().findFirst().orElse(message);
  }

  private static Set<String> knownOptions(Class<? extends PipelineOptions> type) {
    Set<String> names = new TreeSet<>();
    List<Class<?>> interfaces = new ArrayList<>(PipelineOptionsFactory.getRegisteredOptions());
    interfaces.add(type);
    for (Class<?> options : interfaces) {
      for (Method method : options.getMethods()) {
        String property = property(method);
        if (property != null) {
          names.add(property);
        }
      }
    }
    return names;
  }

  private static String property(Method method) {
    String name = method.getName();
    if (method.getParameterCount() != 0) {
      return null;
    }
    String bare;
    if (name.startsWith("get") && name.length() > 3) {
      bare = name.substring(3);
    } else if (name.startsWith("is") && name.length() > 2) {
      bare = name.substring(2);
    } else {
      return null;
    }
    return Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
  }

  private static String closest(String name, Set<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(name.toLowerCase(), candidate.toLowerCase());
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
        diagonal = above;
      }
    }
    return row[b.length()];
  }

  /** Lists the options declared by {@code type} itself, with their defaults. */
  static void printOptions(Class<? extends PipelineOptions> type, PrintStream out) {
    List<Method> getters = new ArrayList<>();
    for (Method method : type.getDeclaredMethods()) {
      if (property(method) != null && method.isAnnotationPresent(Description.class)) {
        getters.add(method);
      }
    }
    getters.sort(Comparator.comparing(CommandLine::property));
    for (Method getter : getters) {
      String value = valueHint(getter);
      out.printf("  --%s=%s%n", property(getter), value);
      for (String line : wrap(getter.getAnnotation(Description.class).value(), 72)) {
        out.println("      " + line);
      }
    }
  }

  private static String valueHint(Method getter) {
    if (getter.isAnnotationPresent(Validation.Required.class)) {
      return "<required>";
    }
    String kind = getter.getReturnType().getSimpleName().toLowerCase();
    for (Annotation annotation : getter.getAnnotations()) {
      if (annotation instanceof Default.String) {
        return kind + " (default " + ((Default.String) annotation).value() + ")";
      } else if (annotation instanceof Default.Integer) {
        return kind + " (default " + ((Default.Integer) annotation).value() + ")";
      } else if (annotation instanceof Default.Long) {
        return kind + " (default " + ((Default.Long) annotation).value() + ")";
      } else if (annotation instanceof Default.Boolean) {
        return kind + " (default " + ((Default.Boolean) annotation).value() + ")";
      }
    }
    return kind;
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : Arrays.asList(text.split(" "))) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
