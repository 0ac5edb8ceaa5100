package dev.probe.rows.runners;

import dev.probe.rows.pipeline.cli.ProbeRowsCli;

/** Entry point of the runnable jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status =
        new ProbeRowsCli(new BundledRunners(), System.out, System.err).execute(args).code();
    System.exit(status);
  }
}
