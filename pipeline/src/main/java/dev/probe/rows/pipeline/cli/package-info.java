/**
 * The {@code probe-rows} command line: parsing, {@code run} with its progress and summary, and the
 * messages and exit statuses users see.
 */
package dev.probe.rows.pipeline.cli;
