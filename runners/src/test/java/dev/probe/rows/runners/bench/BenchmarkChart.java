package dev.probe.rows.runners.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark's chart, as plain SVG text so that it needs no plotting library and BENCHMARKS.md
 * can show it as it is: wall time and peak RSS against events, log-log, one panel pair per data
 * shape, one line per approach. A filled dot is a right output, a hollow one a wrong output, a
 * cross a process that failed (drawn at the time and RSS it reached, and not joined to the line).
 */
final class BenchmarkChart {
  private static final int PANEL_WIDTH = 440;
  private static final int PANEL_HEIGHT = 260;
  private static final int LEFT = 70;
  private static final int GAP = 64;
  private static final int TOP = 70;
  private static final int PANEL_TOP_LABEL = 26;
  private static final int PANEL_BOTTOM_LABEL = 44;
  private static final int LEGEND_COLUMN = 250;
  private static final int LEGEND_ROW = 20;

  /** probe-rows in blues, the anchors each in a colour of its own, the floor in black. */
  private static final Map<String, String> COLOURS =
      Map.of(
          "sorted", "#1f5fb4",
          "assumeOrdered", "#17becf",
          "direct", "#8c8cd9",
          "duckdbOrdered", "#ff7f0e",
          "duckdb2Ordered", "#d62728",
          "polars", "#2ca02c",
          "duckdbUnordered", "#b5a300",
          "floor", "#000000");

  private BenchmarkChart() {}

  private enum Measure {
    TIME("wall time (s)"),
    RSS("peak RSS (MB)");

    final String axis;

    Measure(String axis) {
      this.axis = axis;
    }

    double of(Benchmark.Result r) {
      return this == TIME ? r.wallSeconds : r.peakRssKb / 1024.0;
    }
  }

  static String svg(String title, List<Benchmark.ShapeRun> runs) {
    Set<String> shapes = new LinkedHashSet<>();
    Set<String> approaches = new LinkedHashSet<>();
    TreeSet<Long> sizes = new TreeSet<>();
    for (Benchmark.ShapeRun run : runs) {
      shapes.add(run.shape);
      sizes.add(run.size);
      run.results.values().stream()
          .filter(BenchmarkChart::charted)
          .forEach(r -> approaches.add(r.id));
    }
    int legendRows = (approaches.size() + 3) / 4;
    int panelBlock = PANEL_TOP_LABEL + PANEL_HEIGHT + PANEL_BOTTOM_LABEL;
    int width = LEFT + 2 * PANEL_WIDTH + GAP + LEFT / 2;
    int height = TOP + shapes.size() * panelBlock + 20 + legendRows * LEGEND_ROW + 10;

    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            width,
            height,
            width,
            height));
    svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    text(svg, LEFT, 24, title, "font-size=\"16\" font-weight=\"bold\"");
    text(
        svg,
        LEFT,
        44,
        "log-log; filled dot: output right; hollow: output WRONG; ×: process failed (status), at"
            + " the time and RSS it reached",
        "fill=\"#444\"");

    double xLow = Math.log10(sizes.first());
    double xHigh = Math.log10(sizes.last());
    int row = 0;
    for (String shape : shapes) {
      int top = TOP + row * panelBlock + PANEL_TOP_LABEL;
      int column = 0;
      for (Measure measure : Measure.values()) {
        int left = LEFT + column * (PANEL_WIDTH + GAP);
        panel(svg, runs, shape, approaches, measure, left, top, xLow, xHigh, sizes);
        column++;
      }
      row++;
    }

    int legendTop = TOP + shapes.size() * panelBlock + 20;
    int index = 0;
    for (String id : approaches) {
      int x = LEFT + (index % 4) * LEGEND_COLUMN;
      int y = legendTop + (index / 4) * LEGEND_ROW;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              x,
              y - 4,
              x + 22,
              y - 4,
              colour(id)));
      dot(svg, x + 11, y - 4, colour(id), true);
      text(svg, x + 28, y, legendName(runs, id), "");
      index++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /**
   * Each approach on the layout the ratio table compares it on: the other sorted layouts have a
   * table of their own, and more lines would hide the anchors'.
   */
  private static boolean charted(Benchmark.Result r) {
    return r.ran && COLOURS.containsKey(r.id);
  }

  private static void panel(
      StringBuilder svg,
      List<Benchmark.ShapeRun> runs,
      String shape,
      Set<String> approaches,
      Measure measure,
      int left,
      int top,
      double xLow,
      double xHigh,
      TreeSet<Long> sizes) {
    List<Double> values = new ArrayList<>();
    for (Benchmark.ShapeRun run : runs) {
      if (run.shape.equals(shape)) {
        run.results.values().stream()
            .filter(r -> charted(r) && measure.of(r) > 0)
            .forEach(r -> values.add(measure.of(r)));
      }
    }
    if (values.isEmpty()) {
      return;
    }
    double yLow = Math.log10(values.stream().mapToDouble(v -> v).min().getAsDouble());
    double yHigh = Math.log10(values.stream().mapToDouble(v -> v).max().getAsDouble());
    double[] x = padded(xLow, xHigh);
    double[] y = padded(yLow, yHigh);

    text(
        svg,
        left,
        top - 8,
        "`" + shape + "` shape: " + measure.axis + " against events",
        "font-weight=\"bold\"");
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            left,
            top,
            PANEL_WIDTH,
            PANEL_HEIGHT));
    for (double tick : ticks(x[0], x[1], sizes)) {
      double px = left + scale(Math.log10(tick), x, PANEL_WIDTH);
      gridLine(svg, px, top, px, top + PANEL_HEIGHT);
      text(svg, px, top + PANEL_HEIGHT + 16, count(tick), "text-anchor=\"middle\"");
    }
    for (double tick : ticks(y[0], y[1], null)) {
      double py = top + PANEL_HEIGHT - scale(Math.log10(tick), y, PANEL_HEIGHT);
      gridLine(svg, left, py, left + PANEL_WIDTH, py);
      text(svg, left - 6, py + 4, number(tick), "text-anchor=\"end\"");
    }
    text(
        svg,
        left + PANEL_WIDTH / 2.0,
        top + PANEL_HEIGHT + 34,
        "events",
        "text-anchor=\"middle\" fill=\"#444\"");

    for (String id : approaches) {
      StringBuilder line = new StringBuilder();
      int joined = 0;
      StringBuilder marks = new StringBuilder();
      for (Benchmark.ShapeRun run : runs) {
        Benchmark.Result r = run.results.get(id);
        if (!run.shape.equals(shape) || r == null || !r.ran || measure.of(r) <= 0) {
          continue;
        }
        double px = left + scale(Math.log10(run.size), x, PANEL_WIDTH);
        double py = top + PANEL_HEIGHT - scale(Math.log10(measure.of(r)), y, PANEL_HEIGHT);
        if (r.ok()) {
          line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
          joined++;
          dot(marks, px, py, colour(id), r.right());
          if (!r.right()) {
            text(marks, px + 7, py + 4, "WRONG", "font-size=\"10\" fill=\"" + colour(id) + "\"");
          }
        } else {
          cross(marks, px, py, colour(id));
          text(marks, px + 7, py + 4, r.status, "font-size=\"10\" fill=\"" + colour(id) + "\"");
        }
      }
      if (joined > 1) {
        svg.append(
            String.format(
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                line.toString().trim(), colour(id)));
      }
      svg.append(marks);
    }
  }

  /** The range with some room around it; a single value gets a factor of two either side. */
  private static double[] padded(double low, double high) {
    double room = high - low < 1e-9 ? Math.log10(2) : (high - low) * 0.08;
    return new double[] {low - room, high + room};
  }

  private static double scale(double value, double[] range, int pixels) {
    return (value - range[0]) / (range[1] - range[0]) * pixels;
  }

  /**
   * 1, 2 and 5 times powers of ten within the range (every integer multiple where that gives fewer
   * than three); on the event axis, the sizes that ran.
   */
  private static List<Double> ticks(double low, double high, TreeSet<Long> sizes) {
    List<Double> ticks = new ArrayList<>();
    if (sizes != null) {
      sizes.forEach(s -> ticks.add((double) s));
      return ticks;
    }
    for (int[] multiples : new int[][] {{1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
      ticks.clear();
      for (int power = (int) Math.floor(low) - 1; power <= Math.ceil(high); power++) {
        for (int m : multiples) {
          double tick = m * Math.pow(10, power);
          if (Math.log10(tick) >= low && Math.log10(tick) <= high) {
            ticks.add(tick);
          }
        }
      }
      if (ticks.size() >= 3) {
        break;
      }
    }
    return ticks;
  }

  private static String count(double events) {
    if (events >= 1e6) {
      return trim(events / 1e6) + "M";
    }
    return events >= 1e3 ? trim(events / 1e3) + "k" : trim(events);
  }

  private static String number(double value) {
    return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : trim(value);
  }

  private static String trim(double value) {
    String text = String.format(Locale.ROOT, "%.2f", value);
    return text.replaceAll("\\.?0+$", "");
  }

  private static String colour(String id) {
    return COLOURS.getOrDefault(id, "#7f7f7f");
  }

  private static String legendName(List<Benchmark.ShapeRun> runs, String id) {
    for (Benchmark.ShapeRun run : runs) {
      Benchmark.Result r = run.results.get(id);
      if (r != null && r.ran && !r.version.isEmpty()) {
        return r.legendName();
      }
    }
    for (Benchmark.ShapeRun run : runs) {
      Benchmark.Result r = run.results.get(id);
      if (r != null && r.ran) {
        return r.legendName();
      }
    }
    return id;
  }

  private static void gridLine(StringBuilder svg, double x1, double y1, double x2, double y2) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n",
            x1,
            y1,
            x2,
            y2));
  }

  private static void dot(StringBuilder svg, double x, double y, String colour, boolean filled) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"%s\""
                + " stroke-width=\"1.5\"/>%n",
            x,
            y,
            filled ? "3.5" : "4.5",
            filled ? colour : "white",
            colour));
  }

  private static void cross(StringBuilder svg, double x, double y, String colour) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<path d=\"M%.1f %.1fl9 9m0 -9l-9 9\" stroke=\"%s\" stroke-width=\"2\"/>%n",
            x - 4.5,
            y - 4.5,
            colour));
  }

  private static void text(StringBuilder svg, double x, double y, String text, String attributes) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n",
            x,
            y,
            attributes.isEmpty() ? "" : " " + attributes,
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
  }
}
