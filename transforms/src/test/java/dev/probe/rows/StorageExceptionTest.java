package dev.probe.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** The one line a store failure becomes, from the exceptions HDFS's and S3's clients throw. */
class StorageExceptionTest {
  private static String line(Throwable cause) {
    return new StorageException("cannot read x", cause).getMessage();
  }

  @Test
  void hdfsConnectionRefusedNamesTheNameNode() {
    IOException failure =
        new IOException(
            new ConnectException(
                "Call From host/127.0.0.1 to localhost:8020 failed on connection exception:"
                    + " java.net.ConnectException: Connection refused; For more details see: "
                    + " http://wiki.apache.org/hadoop/ConnectionRefused"));
    assertTrue(StorageException.causedByStore(failure));
    assertEquals(
        "cannot read x: connection refused by localhost:8020: is the store running, and is its"
            + " address right?",
        line(failure));
  }

  @Test
  void s3ConnectionRefusedNamesTheEndpoint() {
    // The AWS SDK's SdkClientException around Apache HttpClient's HttpHostConnectException.
    RuntimeException failure =
        new RuntimeException(
            "Unable to execute HTTP request: Connect to 127.0.0.1:9000 failed",
            new ConnectException(
                "Connect to 127.0.0.1:9000 [/127.0.0.1] failed: Connection refused"));
    assertEquals(
        "cannot read x: connection refused by 127.0.0.1:9000: is the store running, and is its"
            + " address right?",
        line(failure));
  }

  @Test
  void aWriteCutOffHalfWayNamesTheStoreOfThePath() {
    // What an HDFS write in progress threw when its NameNode stopped: no peer in the message.
    IOException failure = new IOException(new SocketException("Broken pipe"));
    assertTrue(StorageException.causedByStore(failure));
    assertEquals(
        "cannot write hdfs://namenode:8020/out/x: lost the connection to the store of"
            + " hdfs://namenode:8020: is the store running? (Broken pipe)",
        new StorageException("cannot write hdfs://namenode:8020/out/x", failure).getMessage());
    assertEquals(
        "cannot read x: lost the connection to the store: is the store running? (Broken pipe)",
        line(failure));
  }

  @Test
  void aConnectionLostHalfWayNamesThePeer() {
    EOFException failure =
        new EOFException(
            "End of File Exception between local host is: \"host/127.0.0.1\"; destination host"
                + " is: \"localhost\":8020; : java.io.EOFException; For more details see: "
                + " http://wiki.apache.org/hadoop/EOFException");
    failure.initCause(new EOFException());
    assertEquals(
        "cannot read x: lost the connection to localhost:8020: is the store running?",
        line(failure));
  }

  @Test
  void s3AccessDeniedKeepsTheErrorCode() {
    AccessDeniedException failure =
        new AccessDeniedException(
            "s3a://b/k: getFileStatus on s3a://b/k: software.amazon.awssdk.services.s3.model"
                + ".S3Exception: The request signature we calculated does not match the signature"
                + " you provided. (Service: S3, Status Code: 403, Request ID: null)"
                + ":SignatureDoesNotMatch");
    assertEquals(
        "cannot read x: access denied (SignatureDoesNotMatch): check the credentials and the"
            + " permissions",
        line(failure));
  }

  /** A truncated or corrupt file is the data's fault: not retried, reported as input. */
  @Test
  void dataErrorsAreNotStoreFailures() {
    assertFalse(StorageException.causedByStore(new EOFException()));
    assertFalse(
        StorageException.causedByStore(
            new IOException(
                "can not read class org.apache.parquet.format.PageHeader: Required field"
                    + " 'uncompressed_page_size' was not found")));
  }

  @Test
  void anUnknownFailureKeepsItsInnermostMessage() {
    assertEquals(
        "cannot read x: No space left on device",
        line(new IOException("write failed", new IOException("No space left on device"))));
  }
}
