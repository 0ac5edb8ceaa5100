// Writes the Polars files of this folder: run `node polars.js` here after
// `npm i -E nodejs-polars@0.25.2 nodejs-polars-linux-x64-gnu@0.25.2` (the only build served for
// linux-x64). The same rows in every codec Polars writes, in row groups of 7 rows, with names and
// types the parquet-testing corpus lacks: spaces, quotes, dots, parentheses, non-ASCII, a
// categorical (dictionary) column, unsigned and small integers, nanosecond times. (Names that
// differ only in case are tested elsewhere: DuckDB, the judge, takes them for one name.)
const pl = require('nodejs-polars');

const rows = 60;
const keys = ['10.0.0.1', '10.0.0.2', 'fe80::1', 'größe', '', null, 'a b'];
const column = (f) => Array.from({ length: rows }, (_, i) => f(i));
const df = pl.DataFrame({
  src_addr: pl.Series('src_addr', column((i) => keys[(i * 5) % keys.length]), pl.Utf8),
  // Ties, times before 1970, and nulls.
  event_time: pl.Series('event_time', column((i) => (i % 11 === 3 ? null : ((i * 37) % 23) * 1000 - 9000)), pl.Int64)
    .cast(pl.Datetime('ms')),
  payload: pl.Series('payload', column((i) => (i % 7 === 0 ? null : i - 30)), pl.Int32),
  'pay load (x)."q"': pl.Series('pay load (x)."q"', column((i) => 'q' + (i % 4)), pl.Utf8),
  'größe.µs': pl.Series('größe.µs', column((i) => i * 1000003), pl.Int64).cast(pl.Datetime('ns')),
  proto: pl.Series('proto', column((i) => ['tcp', 'udp', 'icmp'][i % 3]), pl.Utf8).cast(pl.Categorical),
  ttl: pl.Series('ttl', column((i) => i % 256), pl.UInt8),
  port: pl.Series('port', column((i) => (i * 997) % 65536), pl.UInt16),
  bytes: pl.Series('bytes', column((i) => BigInt(i) * 4000000000n + (i === 5 ? 18000000000000000000n : 0n)), pl.UInt64),
  small: pl.Series('small', column((i) => (i % 2 === 0 ? -i : i)), pl.Int16),
  ratio: pl.Series('ratio', column((i) => (i % 9 === 0 ? null : i / 7)), pl.Float32),
  ok: pl.Series('ok', column((i) => i % 3 === 0), pl.Bool),
  day: pl.Series('day', column((i) => i * 86400000 - 5 * 86400000), pl.Int64).cast(pl.Datetime('ms')).cast(pl.Date),
});
for (const codec of ['uncompressed', 'snappy', 'gzip', 'lz4', 'zstd', 'brotli']) {
  df.writeParquet(`polars-${codec}.parquet`, { compression: codec, rowGroupSize: 7 });
}
