-- wrk script: cycles through the requests in the file BENCH_REQUESTS, one per line as
-- "METHOD<TAB>path<TAB>bearer token or empty<TAB>JSON body or empty", optionally followed
-- by headers, each "<TAB>Header-Name: value" (If-None-Match, Zoom's signature); with
-- BENCH_UNIQUE=1 it makes every URL unique so no cache can answer; with BENCH_ONCE=1 the
-- threads take alternate lines, so no request is sent twice until the list runs out (a
-- write that cannot repeat). Prints one JSON line with throughput and latency percentiles.
local requests = {}
for line in io.lines(os.getenv("BENCH_REQUESTS")) do
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do table.insert(fields, field) end
  local method, path, token, body = fields[1], fields[2], fields[3], fields[4]
  local headers = {}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  for i = 5, #fields do
    local name, value = fields[i]:match("^([^:]+): (.*)$")
    if name then headers[name] = value end
  end
  if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
  table.insert(requests, {method = method, path = path, headers = headers, body = body})
end
local unique = os.getenv("BENCH_UNIQUE") == "1"
local once = os.getenv("BENCH_ONCE") == "1"
local counter = 0
-- A global, not a local: setup() runs in wrk's main state and sets each thread's own with
-- thread:set, which only reaches globals (a local here left every thread at 0, so the
-- threads sent the same "unique" URLs).
salt = 0
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")

function setup(thread)
  salt = salt + 1
  thread:set("salt", salt)
end

function request()
  counter = counter + 1
  local index = counter
  if once then index = (counter - 1) * threads + salt end
  local r = requests[(index % #requests) + 1]
  local path = r.path
  if unique then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_r=" .. tostring(salt) .. "-" .. tostring(counter)
  end
  return wrk.format(r.method, path, r.headers, r.body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
