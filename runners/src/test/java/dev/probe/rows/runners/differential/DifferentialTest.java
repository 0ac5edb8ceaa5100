package dev.probe.rows.runners.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.FromData;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple1;
import net.jqwik.api.Data;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.statistics.Statistics;

/**
 * probe-rows against DuckDB on random inputs: random schemas and values, layouts, row-group and
 * page sizes, writers and their options, and run options on both runners. Each case's output must
 * be exactly DuckDB's {@code LIST(... ORDER BY time, file, row) GROUP BY key}.
 *
 * <p>Every run draws a fresh seed, which jqwik prints; a failure prints the shrunk case as one
 * line, to be added to {@code regressions.txt}, which {@link #regressionsStayFixed} replays. The
 * number of cases is jqwik's {@code jqwik.tries.default} ({@code junit-platform.properties} sets
 * the slice every build runs; {@code -Djqwik.tries.default=5000} runs a soak).
 */
class DifferentialTest {
  // No edge cases: they are the shrinking targets of every choice at once, and took a third of the
  // cases.
  @Property(shrinking = ShrinkingMode.FULL, edgeCases = EdgeCasesMode.NONE)
  void probeRowsAreDuckDbsOrderedLists(@ForAll("cases") CaseSpec spec) throws Exception {
    DifferentialCase.check(spec);
  }

  /**
   * The ordered path's merge of key ranges: files each sorted by key that overlap one another, in
   * several row groups each, sometimes with times going back within a key, where the merge falls
   * back. Fails if too few cases took that path, so that it cannot pass without testing it.
   */
  @Property(shrinking = ShrinkingMode.FULL, edgeCases = EdgeCasesMode.NONE)
  void keyRangesMergeIntoDuckDbsOrderedLists(@ForAll("keyRangeMerges") CaseSpec spec)
      throws Exception {
    DifferentialCase.check(spec);
    Statistics.label("path")
        .coverage(
            checker ->
                checker
                    .checkQuery(
                        path ->
                            path.get(0).equals(DifferentialCase.KEY_RANGES_MERGED)
                                || path.get(0).equals(DifferentialCase.KEY_RANGES_FELL_BACK))
                    .percentage(p -> p >= 40));
  }

  @Property
  @FromData("regressions")
  void regressionsStayFixed(@ForAll String line) throws Exception {
    DifferentialCase.check(CaseSpec.parse(line));
  }

  @Data
  Iterable<Tuple1<String>> regressions() throws IOException {
    try (Stream<String> lines =
        new BufferedReader(
                new InputStreamReader(
                    DifferentialTest.class.getResourceAsStream("regressions.txt"),
                    StandardCharsets.UTF_8))
            .lines()) {
      return lines
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(Tuple::of)
          .collect(Collectors.toList());
    }
  }

  /**
   * Any case, and one in three aimed at the ordered path's hardest work: input sorted but for a few
   * rows, keys whose footer statistics give row groups their own ranges, row groups holding several
   * keys. There it writes a row group's own keys, meets a row out of order and falls back.
   */
  @Provide
  Arbitrary<CaseSpec> cases() {
    Arbitrary<CaseSpec> orderedPathFallingBack =
        cases(
            Arbitraries.just(true),
            Arbitraries.of(
                CaseSpec.Layout.SORTED_BY_KEY_ONLY,
                CaseSpec.Layout.NEARLY_SORTED,
                CaseSpec.Layout.TIME_WINDOWS_EACH_SORTED),
            Arbitraries.of(
                ColumnType.STRING, ColumnType.BINARY_PLAIN, ColumnType.FIXED_PLAIN, ColumnType.UINT16),
            weighted(1000, 1, 40, 1));
    Arbitrary<CaseSpec> any =
        cases(Arbitraries.of(true, false), layouts(), keyTypes(), weighted(1000, 4, 40, 3, 7, 2, 1, 1, 2, 1, 3, 1));
    return Arbitraries.frequencyOf(Tuple.of(2, any), Tuple.of(1, orderedPathFallingBack));
  }

  private static Arbitrary<CaseSpec> cases(
      Arbitrary<Boolean> assumeOrdered,
      Arbitrary<CaseSpec.Layout> layouts,
      Arbitrary<ColumnType> keyTypes,
      Arbitrary<Integer> rowGroupRows) {
    return Builders.withBuilder(CaseSpec::defaults)
        .use(Arbitraries.longs()).in((s, v) -> with(s, () -> s.seed = v))
        .use(Arbitraries.integers().between(0, 300).shrinkTowards(1)).in((s, v) -> with(s, () -> s.rows = v))
        .use(weighted(1, 1, 2, 1, 3, 2, 5, 3, 10, 3, 40, 2)).in((s, v) -> with(s, () -> s.keys = v))
        .use(weighted(0, 2, 1, 1, 2, 1, 5, 1, 50, 1)).in((s, v) -> with(s, () -> s.sortValues = v))
        .use(Arbitraries.integers().between(0, 6)).in((s, v) -> with(s, () -> s.payloadColumns = v))
        .use(Arbitraries.integers().between(1, 5)).in((s, v) -> with(s, () -> s.files = v))
        .use(Arbitraries.integers().between(0, 2)).in((s, v) -> with(s, () -> s.emptyFiles = v))
        .use(rowGroupRows).in((s, v) -> with(s, () -> s.rowGroupRows = v))
        .use(Arbitraries.of(1000, 1, 2, 5, 20)).in((s, v) -> with(s, () -> s.pageRows = v))
        .use(Arbitraries.of(0, 5, 30)).in((s, v) -> with(s, () -> s.nullPercent = v))
        .use(keyTypes).in((s, v) -> with(s, () -> s.keyType = v))
        .use(Arbitraries.of(ColumnType.SORTS)).in((s, v) -> with(s, () -> s.sortType = v))
        .use(layouts).in((s, v) -> with(s, () -> s.layout = v))
        .use(Arbitraries.of(CaseSpec.Writer.class)).in((s, v) -> with(s, () -> s.writer = v))
        .use(Arbitraries.of(CaseSpec.Codec.class)).in((s, v) -> with(s, () -> s.codec = v))
        .use(Arbitraries.of(false, true)).in((s, v) -> with(s, () -> s.dictionary = v))
        .use(Arbitraries.of(false, true)).in((s, v) -> with(s, () -> s.bloomFiltersAndChecksums = v))
        .use(Arbitraries.of(false, true)).in((s, v) -> with(s, () -> s.oddNames = v))
        .use(assumeOrdered).in((s, v) -> with(s, () -> s.assumeOrdered = v))
        .use(Arbitraries.integers().between(0, 5)).in((s, v) -> with(s, () -> s.numShards = v))
        .use(Arbitraries.integers().between(1, 3)).in((s, v) -> with(s, () -> s.parallelism = v))
        .use(weighted(0, 2, 1, 1, 2, 1, 3, 1, 7, 1)).in((s, v) -> with(s, () -> s.maxEventsPerRow = v))
        .use(Arbitraries.of(false, true)).in((s, v) -> with(s, () -> s.columnsSubset = v))
        .use(Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true))).in((s, v) -> with(s, () -> s.tinySortMemory = v))
        // Embedded Flink starts a cluster per run: one case in four.
        .use(Arbitraries.frequency(
            Tuple.of(3, CaseSpec.Runner.DirectRunner), Tuple.of(1, CaseSpec.Runner.FlinkRunner)))
        .in((s, v) -> with(s, () -> s.runner = v))
        .build(s -> s);
  }

  /**
   * Layouts that are sorted but for a few rows weigh most: there the ordered path writes a row
   * group's own keys, meets a row out of order and falls back, its most intricate work.
   */
  private static Arbitrary<CaseSpec.Layout> layouts() {
    return Arbitraries.frequency(
        Tuple.of(2, CaseSpec.Layout.SHUFFLED),
        Tuple.of(2, CaseSpec.Layout.SORTED),
        Tuple.of(4, CaseSpec.Layout.SORTED_BY_KEY_ONLY),
        Tuple.of(4, CaseSpec.Layout.NEARLY_SORTED),
        Tuple.of(2, CaseSpec.Layout.HASH_PARTITIONED_EACH_SORTED),
        Tuple.of(2, CaseSpec.Layout.TIME_WINDOWS_EACH_SORTED),
        Tuple.of(1, CaseSpec.Layout.ROUND_ROBIN),
        Tuple.of(1, CaseSpec.Layout.HASH_PARTITIONED_EACH_SORTED_BY_KEY_ONLY));
  }

  /**
   * Files each sorted by key, two or more, holding enough rows and keys for several row groups
   * each, keyed by types whose statistics give ranges (signed integers do only without negative
   * values, which the generator draws).
   */
  @Provide
  Arbitrary<CaseSpec> keyRangeMerges() {
    return cases(
            Arbitraries.just(true),
            Arbitraries.of(
                CaseSpec.Layout.HASH_PARTITIONED_EACH_SORTED,
                CaseSpec.Layout.TIME_WINDOWS_EACH_SORTED,
                CaseSpec.Layout.HASH_PARTITIONED_EACH_SORTED_BY_KEY_ONLY),
            Arbitraries.of(
                ColumnType.STRING, ColumnType.BINARY_PLAIN, ColumnType.FIXED_PLAIN, ColumnType.UINT16),
            weighted(3, 2, 1, 1, 2, 1, 7, 1))
        .filter(spec -> spec.files >= 2 && spec.rows >= 60 && spec.keys >= 10);
  }

  /** Strings, the usual key, weigh most; every other key type comes too. */
  private static Arbitrary<ColumnType> keyTypes() {
    List<Tuple.Tuple2<Integer, ColumnType>> weights = new ArrayList<>();
    weights.add(Tuple.of(ColumnType.KEYS.size(), ColumnType.STRING));
    for (ColumnType type : ColumnType.KEYS) {
      weights.add(Tuple.of(1, type));
    }
    return Arbitraries.frequency(weights);
  }

  /** Values and their weights, alternating: the first value is where shrinking goes. */
  private static Arbitrary<Integer> weighted(int... valuesAndWeights) {
    List<Tuple.Tuple2<Integer, Integer>> weights = new ArrayList<>();
    for (int i = 0; i < valuesAndWeights.length; i += 2) {
      weights.add(Tuple.of(valuesAndWeights[i + 1], valuesAndWeights[i]));
    }
    return Arbitraries.frequency(weights);
  }

  private static CaseSpec with(CaseSpec spec, Runnable change) {
    change.run();
    return spec;
  }
}
