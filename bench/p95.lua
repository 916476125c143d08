-- wrk -s bench/p95.lua: print the 95th percentile latency (microseconds) after the run, which
-- wrk --latency does not show (it prints 50/75/90/99). Used by bench/scale.sh for the summary.
done = function(summary, latency, requests)
  io.write(string.format("p95 %d\n", latency:percentile(95)))
end
