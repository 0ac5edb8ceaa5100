package dev.probe.rows.pipeline.diagnose;

/** A key, in its encoded form, and its number of events. */
record KeyCount(byte[] key, long events) {}
