-- Typed probe events, written by DuckDB (1.4.4) to exercise every type path of probe-rows.
-- ${dir} is replaced by the output folder. Run by TestInputs.duckDbTypes (transforms tests).
--
-- src_addr     VARCHAR, 1 row in 97 null, ~90 keys        -> the key
-- event_time   TIMESTAMP (INT64 micros, not UTC-adjusted), around 1970-01-01 so half are
--              before 1970, out of order; a key (i mod 91) has ~33 rows but 17 distinct
--              times, so each key has ties, within a file and across the two; 1 row in 89 null
-- t_ms, t_ns   the same instant as TIMESTAMP_MS and TIMESTAMP_NS; t_tz as TIMESTAMPTZ
-- day DATE (pre-1970 too), amount DECIMAL(18,3) (INT64), small SMALLINT, tiny UTINYINT,
-- ratio DOUBLE, flag BOOLEAN, tags VARCHAR[] (null, empty or two), info STRUCT, seq BIGINT,
-- payload BLOB; nulls in most of them
CREATE OR REPLACE TABLE typed AS
SELECT
  i,
  CASE WHEN i % 97 = 0 THEN NULL ELSE '10.0.' || (i % 7) || '.' || (i % 13) END AS src_addr,
  CASE WHEN i % 89 = 0 THEN NULL
       ELSE TIMESTAMP '1970-01-01 00:00:00' + to_microseconds((((i // 91) * 7) % 17 - 8) * 60000003)
  END AS event_time,
  DATE '1965-01-01' + (i % 4000)::INTEGER AS day,
  CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 1.001 - 1500)::DECIMAL(18, 3) END AS amount,
  (i % 30000 - 15000)::SMALLINT AS small,
  (i % 256)::UTINYINT AS tiny,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i / 7.0 END::DOUBLE AS ratio,
  CASE WHEN i % 10 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
  CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN []::VARCHAR[]
       ELSE ['t' || (i % 5), 'u' || (i % 3)] END AS tags,
  {'port': (i % 65536)::INTEGER, 'proto': CASE WHEN i % 6 = 0 THEN NULL ELSE 'tcp' END} AS info,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i::BIGINT - 1000 END AS seq,
  CASE WHEN i % 9 = 0 THEN NULL ELSE ('payload-' || i)::BLOB END AS payload
FROM range(0, 3000) t(i);

CREATE OR REPLACE TABLE typed_out AS
SELECT * EXCLUDE (i),
  event_time::TIMESTAMP_MS AS t_ms,
  event_time::TIMESTAMP_NS AS t_ns,
  timezone('UTC', event_time) AS t_tz,
  i
FROM typed;

COPY (SELECT * EXCLUDE (i) FROM typed_out WHERE i < 1500 ORDER BY i)
  TO '${dir}/typed-0.parquet' (FORMAT PARQUET);
COPY (SELECT * EXCLUDE (i) FROM typed_out WHERE i >= 1500 ORDER BY i)
  TO '${dir}/typed-1.parquet' (FORMAT PARQUET);
