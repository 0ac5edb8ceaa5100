/**
 * The probe-rows job: its options and their allowed ranges, its assembly from the library's
 * transforms, and what it needs from the module that brings the runners.
 */
package dev.probe.rows.pipeline;
