/**
 * The byte form every sort and merge compares: event keys, whose unsigned byte order is (key, sort
 * value, input position) order, and the buffers that write and read them.
 */
package dev.probe.rows.events;
