package dev.probe.rows;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store (HDFS, S3, a local disk) could not be read or written: it is unreachable, refuses the
 * credentials, or has no such bucket. The message is one line a user can act on: what was being
 * done, then why.
 *
 * <p>Unlike {@link InvalidInputException} this is not a data error: an outage can pass, so a
 * runner's retries may cure it.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // hadoop-aws is only on the runnable jar's classpath, so its exceptions are known by name.
  private static final String UNKNOWN_BUCKET = "org.apache.hadoop.fs.s3a.UnknownStoreException";
  private static final String NO_CREDENTIALS =
      "org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException";
  private static final String HDFS_SERVER = "org.apache.hadoop.ipc.RemoteException";
  private static final String HDFS_PERMISSION = "org.apache.hadoop.security.AccessControlException";
  private static final String HDFS_BLOCK_MISSING = "org.apache.hadoop.hdfs.BlockMissingException";
  private static final String NO_FILESYSTEM = "org.apache.hadoop.fs.UnsupportedFileSystemException";

  /** host:port in the messages of Hadoop's IPC client and of the AWS SDK's HTTP client. */
  private static final Pattern ADDRESS = Pattern.compile("(?:to|Connect to) ([\\w.\\-]+:\\d+)");

  /** The peer in Hadoop's messages of a connection lost half-way (NetUtils.wrapException). */
  private static final Pattern HADOOP_PEER =
      Pattern.compile("destination host is: \"([^\"]+)\":(\\d+)");

  /**
   * The store of an action's path: "hdfs://namenode:8020" in "cannot write
   * hdfs://namenode:8020/x", or "s3a://bucket" (a bucket, not a host).
   */
  private static final Pattern STORE = Pattern.compile("\\w+://[^/\\s]+");

  /** The S3 error code that S3A appends to a service error, e.g. ":InvalidAccessKeyId". */
  private static final Pattern S3_ERROR_CODE = Pattern.compile("\\):([A-Za-z]+)$");

  /**
   * @param action what was being done, e.g. {@code "cannot read s3a://bucket/events.parquet"}
   */
  public StorageException(String action, Throwable cause) {
    super(action + ": " + reason(cause, storeOf(action)), cause);
  }

  private static String storeOf(String action) {
    Matcher store = STORE.matcher(action);
    return store.find() ? store.group() : null;
  }

  /**
   * Whether a store, not the data, caused {@code failure}. Reading a file can fail either way: a
   * corrupt page is the data's fault, a refused connection the store's.
   */
  public static boolean causedByStore(Throwable failure) {
    return knownReason(failure, null) != null;
  }

  /** Why the store failed, in a few words, or the innermost message when the cause is unknown. */
  static String reason(Throwable failure, String store) {
    String known = knownReason(failure, store);
    if (known != null) {
      return known;
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return firstLine(root.getMessage() == null ? root.toString() : root.getMessage());
  }

  /**
   * @param store the store the failed action was about, when known: named if nothing else is
   */
  private static String knownReason(Throwable failure, String store) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String type = cause.getClass().getName();
      String message = firstLine(String.valueOf(cause.getMessage()));
      if (type.equals(UNKNOWN_BUCKET)) {
        return "the bucket does not exist";
      }
      if (type.equals(NO_CREDENTIALS)) {
        return "no AWS credentials found (environment, AWS profile, instance role or"
            + " fs.s3a.access.key)";
      }
      if (cause instanceof AccessDeniedException) {
        Matcher code = S3_ERROR_CODE.matcher(message);
        return "access denied"
            + (code.find() ? " (" + code.group(1) + ")" : "")
            + ": check the credentials and the permissions";
      }
      if (type.equals(HDFS_PERMISSION)) {
        return "permission denied: " + message;
      }
      if (type.equals(NO_FILESYSTEM)) {
        return message;
      }
      if (cause instanceof ConnectException) {
        Matcher address = ADDRESS.matcher(message);
        return "connection refused"
            + (address.find() ? " by " + address.group(1) : "")
            + ": is the store running, and is its address right?";
      }
      Matcher peer = HADOOP_PEER.matcher(message);
      if ((cause instanceof EOFException || cause instanceof SocketException) && peer.find()) {
        return "lost the connection to "
            + peer.group(1)
            + ":"
            + peer.group(2)
            + ": is the store running?";
      }
      // A write cut off half-way ("Broken pipe", "Connection reset") names no peer.
      if (cause instanceof SocketException) {
        return "lost the connection to the store"
            + (store == null ? "" : " of " + store)
            + ": is the store running? ("
            + message
            + ")";
      }
      if (cause instanceof UnknownHostException) {
        return "unknown host " + message;
      }
      if (cause instanceof SocketTimeoutException) {
        return "timed out: " + message;
      }
      if (type.equals(HDFS_BLOCK_MISSING)) {
        return "no DataNode serves a block of the file: " + message;
      }
      if (type.equals(HDFS_SERVER)) {
        return "the NameNode refused: " + message;
      }
      if (cause instanceof FileNotFoundException) {
        return "not found: " + message;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    return message.lines().findFirst().orElse(message).trim();
  }
}
