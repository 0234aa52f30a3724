-- wrk script: spreads requests over the paths in BENCH_PATHS ("|"-separated),
-- optionally makes every URL unique (BENCH_UNIQUE=1) so no cache can answer,
-- and prints one JSON line with throughput and latency percentiles.
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do
  table.insert(paths, p)
end
local unique = os.getenv("BENCH_UNIQUE") == "1"
local counter = 0
local salt = 0

function setup(thread)
  salt = salt + 1
  thread:set("salt", salt)
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if unique then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_r=" .. tostring(salt) .. "-" .. tostring(counter)
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
