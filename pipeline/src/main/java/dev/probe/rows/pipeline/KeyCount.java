package dev.probe.rows.pipeline;

/** A key, in its encoded form, and its number of events. */
record KeyCount(byte[] key, long events) {}
