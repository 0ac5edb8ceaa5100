/** {@code probe-rows generate}: synthetic events for trials and benchmarks. */
package dev.probe.rows.pipeline.generate;
