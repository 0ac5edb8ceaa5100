/**
 * Events grouped into probe rows: one row per key, its events in time order. This package is the
 * library's public API: {@link dev.probe.rows.GroupIntoProbeRows} for any {@code PCollection} with
 * a schema, {@link dev.probe.rows.ParquetProbeRows} from Parquet files to Parquet files with its
 * {@link dev.probe.rows.ProbeRowSettings}, and the exceptions, metric names and progress counts
 * they report. Classes of the subpackages, and those here marked {@code @Internal}, are not part of
 * it.
 */
package dev.probe.rows;
