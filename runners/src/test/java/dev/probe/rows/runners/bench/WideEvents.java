package dev.probe.rows.runners.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The benchmark's second data shape, written with DuckDB SQL because {@code probe-rows generate}
 * makes only the seven-column events: the same key and time columns ({@code src_addr} heavy-tailed
 * as generate draws it, {@code event_time} random microseconds within 30 days) and twelve payload
 * columns, six of them strings (one with nulls), beside integers, a double and a boolean. Every
 * value is a hash of the row number and the seed, so the same seed writes the same files.
 *
 * <p>Two layouts, as for generate: random order ({@code events-NNNNN.parquet}, rows split over the
 * files in row-number order) and sorted by (src_addr, event_time), split the same way.
 */
final class WideEvents {
  /** DuckDB counts row groups in rows: about the bytes of the 32 MB row groups generate writes. */
  private static final long ROW_GROUP_ROWS = 250_000;

  /** As generate: one key per ten events, at most 2^21. */
  private static final long MAX_KEYS = 1L << 21;

  private static final long SPAN_MICROS = 30L * 24 * 3600 * 1_000_000;

  private WideEvents() {}

  static void write(Connection db, Path random, Path sorted, long events, int files, long seed)
      throws Exception {
    Files.createDirectories(random);
    Files.createDirectories(sorted);
    long keys = Math.max(1, Math.min(MAX_KEYS, events / 10));
    try (Statement statement = db.createStatement()) {
      for (int file = 0; file < files; file++) {
        statement.execute(
            "COPY ("
                + rows(events * file / files, events * (file + 1) / files, keys, seed)
                + ") TO "
                + Benchmark.sqlString(random.resolve(fileName(file)))
                + parquetOptions());
      }
      statement.execute(
          "CREATE TEMP TABLE wide_sorted AS SELECT *, row_number() OVER (ORDER BY src_addr,"
              + " event_time) - 1 AS position FROM read_parquet("
              + Benchmark.sqlString(random.resolve("*.parquet"))
              + ")");
      for (int file = 0; file < files; file++) {
        statement.execute(
            "COPY (SELECT * EXCLUDE (position) FROM wide_sorted WHERE position >= "
                + events * file / files
                + " AND position < "
                + events * (file + 1) / files
                + " ORDER BY position) TO "
                + Benchmark.sqlString(sorted.resolve(fileName(file)))
                + parquetOptions());
      }
      statement.execute("DROP TABLE wide_sorted");
    }
  }

  static String fileName(int file) {
    return String.format("events-%05d.parquet", file);
  }

  static String parquetOptions() {
    return " (FORMAT PARQUET, COMPRESSION SNAPPY, ROW_GROUP_SIZE " + ROW_GROUP_ROWS + ")";
  }

  /** Rows {@code from} (inclusive) to {@code to}, in row-number order. */
  private static String rows(long from, long to, long keys, long seed) {
    String s = String.valueOf(seed);
    return "SELECT concat('10.', (host >> 16) & 255, '.', (host >> 8) & 255, '.', host & 255)"
        + " AS src_addr,"
        + " TIMESTAMP '2024-01-01' + to_microseconds((hash(i, "
        + s
        + ", 'event_time') % "
        + SPAN_MICROS
        + ")::BIGINT) AS event_time,"
        + " concat('172.', (peer >> 16) & 255, '.', (peer >> 8) & 255, '.', peer & 255)"
        + " AS dst_addr,"
        + " (hash(i, "
        + s
        + ", 'dst_port') % 65536)::INTEGER AS dst_port,"
        + pick("protocol", s, "tcp", "udp", "icmp")
        + " AS protocol,"
        + " (32 + hash(i, "
        + s
        + ", 'ttl') % 224)::INTEGER AS ttl,"
        + " (40 + hash(i, "
        + s
        + ", 'packet_size') % 1461)::INTEGER AS packet_size,"
        + " CASE WHEN hash(i, "
        + s
        + ", 'user_agent_null') % 10 = 0 THEN NULL ELSE "
        + pick(
            "user_agent",
            s,
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/120.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
            "Go-http-client/1.1",
            "Googlebot/2.1",
            "zgrab/0.x")
        + " END AS user_agent,"
        + " concat('/', "
        + pick("url_section", s, "api", "static", "login", "search", "cart", "img", "video", "user")
        + ", '/', hash(i, "
        + s
        + ", 'url_id') % 100000, '/', lower(to_hex(hash(i, "
        + s
        + ", 'url_tail')))) AS url_path,"
        + pick("country", s, "US", "DE", "BR", "IN", "CN", "FR", "GB", "JP", "NG", "RU", "ZA", "AU")
        + " AS country,"
        + " (pow("
        + uniform("bytes_sent", s)
        + ", 3) * 1e9)::BIGINT AS bytes_sent,"
        + " round(pow("
        + uniform("duration_ms", s)
        + ", 2) * 30000, 3) AS duration_ms,"
        // A few sessions per key, so that values repeat within a key as real session ids do.
        + " lower(concat(to_hex(hash(key, "
        + s
        + ", 'session', i % 4)), to_hex(hash(key, "
        + s
        + ", 'session_low', i % 4)))) AS session_id,"
        + " hash(i, "
        + s
        + ", 'blocked') % 20 = 0 AS blocked"
        + " FROM (SELECT i, key, (key * 2654435761) & 16777215 AS host, hash(i, "
        + s
        + ", 'dst_addr') % 16777216 AS peer"
        // Heavy-tailed keys as generate draws them: key floor(K * u^4).
        + " FROM (SELECT i, floor("
        + keys
        + " * pow("
        + uniform("key", s)
        + ", 4))::BIGINT AS key FROM range("
        + from
        + ", "
        + to
        + ") t(i))) ORDER BY i";
  }

  /** A uniform double in [0, 1) from the row number, the seed and a salt. */
  private static String uniform(String salt, String seed) {
    return "((hash(i, " + seed + ", '" + salt + "') >> 11)::DOUBLE / 9007199254740992)";
  }

  /** One of the values (plain text, no quotes), drawn uniformly. */
  private static String pick(String salt, String seed, String... values) {
    StringBuilder list = new StringBuilder("[");
    for (String value : values) {
      list.append(list.length() > 1 ? ", " : "").append(Benchmark.sqlString(value));
    }
    return list + "][1 + (hash(i, " + seed + ", '" + salt + "') % " + values.length + ")::BIGINT]";
  }
}
