/**
 * Parquet in and out: row groups read into events, the codec between Parquet records and event
 * bytes, probe rows and rejected rows written, row groups' key ranges from their statistics, the
 * compression codecs, and the digests the self-check compares.
 */
package dev.probe.rows.parquet;
