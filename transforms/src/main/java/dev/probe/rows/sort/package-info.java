/**
 * Sorted runs of events and their merge: buffers sorted into runs, runs shipped in bounded chunks,
 * and each shard's chunks merged into one stream in event key order, spilling to local disk beyond
 * the memory budget.
 */
package dev.probe.rows.sort;
