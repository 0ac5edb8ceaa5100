/**
 * The Beam schema front end of {@link dev.probe.rows.GroupIntoProbeRows}: a {@code Row} as an
 * event, rows cut into sorted runs, and merged events assembled into probe rows.
 */
package dev.probe.rows.schema;
