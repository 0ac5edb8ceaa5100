// The benchmark's Polars anchor (nodejs-polars, pinned in bench/package.json): one row per key,
// its events a list of structs of every other column, ordered by time, ties in input order.
//
//   node bench/polars-group.js INPUT_GLOB OUTPUT_FILE KEY_COLUMN SORT_COLUMN
//
// Prints `BENCH polars_version=V`, `BENCH rows=N` (rows written) and `BENCH inner_seconds=S` (from
// the start of this script), as the harness's Java anchors do. Threads: POLARS_MAX_THREADS.
"use strict";
const start = process.hrtime.bigint();
const pl = require("nodejs-polars");

const [inputGlob, outputFile, keyColumn, sortColumn] = process.argv.slice(2);
if (!sortColumn) {
  console.error("usage: node polars-group.js INPUT_GLOB OUTPUT_FILE KEY_COLUMN SORT_COLUMN");
  process.exit(2);
}
// Sorting by time alone would leave ties to Polars' sort, whose stability nodejs-polars does not
// promise (its Expr.sortBy has no maintainOrder). The scan's row index counts files in name order,
// then rows, which is the input order the other approaches keep.
const inputRow = "__probe_rows_input_row";

async function main() {
  console.log(`BENCH polars_version=${pl.version}`);
  const events = pl.scanParquet(inputGlob, { rowIndexName: inputRow });
  const eventColumns = events.columns.filter((c) => c !== keyColumn && c !== inputRow);
  const grouped = await events
    .groupBy(keyColumn)
    .agg(
      pl
        .struct(eventColumns.map((c) => pl.col(c)))
        .sortBy([pl.col(sortColumn), pl.col(inputRow)])
        .alias("events"),
    )
    .collect();
  // Snappy, as DuckDB, probe-rows and the floor write; Polars would default to zstd.
  grouped.writeParquet(outputFile, { compression: "snappy" });
  console.log(`BENCH rows=${grouped.height}`);
  console.log(`BENCH inner_seconds=${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(3)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
