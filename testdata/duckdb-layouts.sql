-- The typed events of duckdb-types.sql in the file layouts --assumeOrdered must handle.
-- ${dir} is the folder of duckdb-types.sql's output; each layout gets a folder beside it.
--
-- sorted/       one global sort by (src_addr, event_time) split over three files: keys
--               straddle file edges
-- interleaved/  three files each sorted by (src_addr, event_time), rows dealt round-robin:
--               a key's times interleave across the files
-- shuffled/     random order: same-key neighbours go back in time (order violations)
CREATE OR REPLACE TABLE layout AS
SELECT *, row_number() OVER (ORDER BY src_addr, event_time, filename, file_row_number) - 1 AS r
FROM read_parquet('${dir}/typed-*.parquet', filename = true, file_row_number = true);

COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout WHERE r < 1000 ORDER BY r)
  TO '${dir}/sorted/part-0.parquet' (FORMAT PARQUET);
COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout WHERE r >= 1000 AND r < 2000 ORDER BY r)
  TO '${dir}/sorted/part-1.parquet' (FORMAT PARQUET);
COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout WHERE r >= 2000 ORDER BY r)
  TO '${dir}/sorted/part-2.parquet' (FORMAT PARQUET);

COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout WHERE r % 3 = 0 ORDER BY r)
  TO '${dir}/interleaved/part-0.parquet' (FORMAT PARQUET);
COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout WHERE r % 3 = 1 ORDER BY r)
  TO '${dir}/interleaved/part-1.parquet' (FORMAT PARQUET);
COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout WHERE r % 3 = 2 ORDER BY r)
  TO '${dir}/interleaved/part-2.parquet' (FORMAT PARQUET);

COPY (SELECT * EXCLUDE (filename, file_row_number, r) FROM layout ORDER BY hash(r * 7919))
  TO '${dir}/shuffled/part-0.parquet' (FORMAT PARQUET);
