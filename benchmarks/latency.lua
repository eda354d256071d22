-- wrk's done hook: one JSON line with throughput and latency percentiles (milliseconds).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, ' ..
    '"p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "bad_status": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
