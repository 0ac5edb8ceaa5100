/** {@code probe-rows diagnose}: one pass over the input's key and sort columns, and its report. */
package dev.probe.rows.pipeline.diagnose;
