/**
 * What a run would meet on an input, found by reading it with the run's own code, for {@code
 * probe-rows diagnose}.
 */
package dev.probe.rows.diagnose;
