-- Per-key aggregates of the legacy-checkpoint fixture (see README.md): a complete-mode streaming table
-- with a Delta sink, so its state lives in the partitioned aggregation grains (state/<p>/).
CREATE OR REFRESH STREAMING TABLE key_stats
AS SELECT k,
          count(*) AS rows,
          sum(n) AS sum_n,
          min(n) AS min_n,
          max(n) AS max_n,
          avg(x) AS avg_x,
          sum(d) AS sum_d,
          collect_list(s) AS list_s,
          collect_set(s) AS set_s,
          approx_count_distinct(s) AS approx_s
FROM STREAM read_files('input', format => 'json',
                       schema => 'k STRING, n LONG, x DOUBLE, d DECIMAL(10,2), s STRING, ts TIMESTAMP')
GROUP BY k;
