-- Shared by every workload. wrk runs with as many threads as connections (-t N -c N),
-- so each thread's Lua state belongs to exactly one client: per-thread globals are
-- per-connection state, and request()/response() alternate strictly on it.
-- Configuration comes from the environment the harness (bench/harness.py) sets.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

bad = 0      -- responses with a status the workload did not expect (3xx included)
done_ops = 0 -- completed operations (a sent letter is two requests)

function env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then return default end
  return value
end

-- A person pauses between requests: with BENCH_THINK_MS set, each connection waits that
-- long before its next request, so latency is measured at a household's pace rather
-- than with every connection asking again the moment it is answered.
local think_ms = tonumber(env("BENCH_THINK_MS", "0"))
if think_ms > 0 then
  function delay() return think_ms end
end

function base_headers()
  local headers = {}
  local token = env("BENCH_TOKEN")
  if token then headers["Authorization"] = "Bearer " .. token end
  local cookie = env("BENCH_COOKIE")
  if cookie then headers["Cookie"] = cookie end
  return headers
end

function split(text, sep)
  local out = {}
  for part in string.gmatch(text or "", "([^" .. sep .. "]+)") do table.insert(out, part) end
  return out
end

-- One JSON line for the harness; latencies in microseconds.
function done(summary, latency, requests)
  local bad_total, ops_total = 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
    ops_total = ops_total + (thread:get("done_ops") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"unexpected":%d},' ..
    '"ops":%d,"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, bad_total, ops_total,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
