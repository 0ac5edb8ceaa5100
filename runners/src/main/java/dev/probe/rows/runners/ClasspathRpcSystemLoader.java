package dev.probe.rows.runners;

import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Loads embedded Flink's RPC system from the jar's own class path. Flink's default loader unpacks a
 * nested 22 MB jar into a temporary folder on every run and loads Pekko and Scala from it through a
 * class loader of their own, which the launcher's class archive cannot cover; the jar bundles
 * {@code flink-rpc-akka} itself instead, and this loader, which Flink asks first, finds it.
 */
public final class ClasspathRpcSystemLoader implements RpcSystemLoader {
  @Override
  public int getLoadPriority() {
    // Flink's own loader has priority 0; lower goes first.
    return -1;
  }

  @Override
  public RpcSystem loadRpcSystem(Configuration config) {
    return ServiceLoader.load(RpcSystem.class, ClasspathRpcSystemLoader.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new RpcLoaderException("flink-rpc-akka is not on the class path"));
  }
}
