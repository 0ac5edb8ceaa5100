package dev.probe.rows.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/** The few calls of a Flink cluster's REST API the command needs. */
final class FlinkRest {
  private static final Set<String> FINISHED = Set.of("FINISHED", "FAILED", "CANCELED");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private FlinkRest() {}

  /** The cluster's free task slots, from {@code /overview}. */
  static int availableSlots(String master) {
    return overview(master).path("slots-available").asInt(0);
  }

  /** The cluster's task slots, free or not, from {@code /overview}. */
  static int totalSlots(String master) {
    return overview(master).path("slots-total").asInt(0);
  }

  private static JsonNode overview(String master) {
    try {
      HttpResponse<String> overview =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + master + "/overview"))
                      .timeout(TIMEOUT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(overview.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the Flink cluster at " + master, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + master + " for its slots", e);
    }
  }

  /**
   * Cancels the cluster's unfinished jobs named {@code jobName} (Beam's job names are unique per
   * submission). Best effort: called while the command shuts down, so it reports and goes on.
   */
  static void cancelJobsNamed(String master, String jobName) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    try {
      HttpResponse<String> overview =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + master + "/jobs/overview"))
                  .timeout(TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (JsonNode job : new ObjectMapper().readTree(overview.body()).path("jobs")) {
        if (jobName.equals(job.path("name").asText())
            && !FINISHED.contains(job.path("state").asText())) {
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + master
                              + "/jobs/"
                              + job.path("jid").asText()
                              + "?mode=cancel"))
                  .method("PATCH", HttpRequest.BodyPublishers.noBody())
                  .timeout(TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.discarding());
          System.err.println(
              "probe-rows: cancelled job " + job.path("jid").asText() + " on " + master);
        }
      }
    } catch (IOException e) {
      System.err.println(
          "probe-rows: could not cancel the job on " + master + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
