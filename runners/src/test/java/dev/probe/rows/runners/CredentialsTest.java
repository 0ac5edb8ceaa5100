package dev.probe.rows.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.probe.rows.pipeline.cli.ExitStatus;
import dev.probe.rows.testing.TestInputs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A secret in --hadoopProperties reaches the workers but never a person's screen: not the
 * progress, the summary, --verbose's logs of Beam, Flink and Hadoop, nor Flink's configuration.
 */
class CredentialsTest {
  private static final String SECRET = "Recognisable-Secret-5f3a9c";

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"FlinkRunner", "DirectRunner"})
  void aSecretKeyIsNeverPrinted(String runner) throws Exception {
    ForkedRun run =
        ForkedRun.of(
            temp,
            List.of("-Xmx1g"),
            "run",
            "--input=" + TestInputs.testdata().resolve("events/*.parquet"),
            "--output=" + temp.resolve("out"),
            "--runner=" + runner,
            "--verbose",
            "--hadoopProperties=fs.s3a.access.key=AKIA" + SECRET + ",fs.s3a.secret.key=" + SECRET);
    assertEquals(ExitStatus.DONE.code(), run.status, run.toString());
    assertFalse(run.out.contains(SECRET), "stdout shows the secret");
    assertFalse(run.err.contains(SECRET), "stderr shows the secret");
  }
}
