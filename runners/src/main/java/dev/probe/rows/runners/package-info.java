/**
 * Everything runner-specific: the runners the runnable jar bundles, how Flink places shards and
 * fails on input errors, and the jar's entry point.
 */
package dev.probe.rows.runners;
