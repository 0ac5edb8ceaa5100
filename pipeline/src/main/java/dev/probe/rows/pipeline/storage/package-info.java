/** {@code hdfs://} and {@code s3a://} paths for Beam, through Hadoop's file systems. */
package dev.probe.rows.pipeline.storage;
