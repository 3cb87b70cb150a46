-- wrk script for bench/run.sh: sends prepared bodies, counts HTTP statuses, prints p95.
--
-- Environment:
--   BENCH_SCENARIO      name printed in the result line
--   BENCH_METHOD        GET (default) or POST
--   BENCH_BODIES        file with the body; with BENCH_BODY_LINES=1, one body per line, used in turn
--   BENCH_CONTENT_TYPE  Content-Type of the body
--   BENCH_COOKIE_FILE   file whose content is sent as the Cookie header (the CSRF cookie)
--   BENCH_CONNECTIONS   connection count, only echoed in the result line
--   BENCH_PATHS         file with one request path per line, used in turn (GET lookups of a peer)
--   BENCH_TIMERS        file with one anti-bot timer per line: each request puts the next one where
--                       its body says __FORM_TS__ (a timer is single-use); BENCH_TIMER_OFFSET is the
--                       first line to use (earlier runs spent the ones before), BENCH_WRK_THREADS
--                       the thread count (thread t takes lines offset+t, offset+t+threads, ...)

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local bodies = {}
local paths = {}
local timers = {}
local position = 0
local timer_position = 0
local timer_step = 1
local PLACEHOLDER = "__FORM_TS__"
counts = {}

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then
      table.insert(lines, line)
    end
  end
  return lines
end

function init(args)
  wrk.method = os.getenv("BENCH_METHOD") or "GET"
  local content_type = os.getenv("BENCH_CONTENT_TYPE")
  if content_type then
    wrk.headers["Content-Type"] = content_type
  end
  local cookie_file = os.getenv("BENCH_COOKIE_FILE")
  if cookie_file then
    wrk.headers["Cookie"] = read_file(cookie_file)
  end
  local path = os.getenv("BENCH_BODIES")
  if path then
    if os.getenv("BENCH_BODY_LINES") == "1" then
      bodies = read_lines(path)
    else
      table.insert(bodies, read_file(path))
    end
  end
  local paths_file = os.getenv("BENCH_PATHS")
  if paths_file then
    paths = read_lines(paths_file)
  end
  local timers_file = os.getenv("BENCH_TIMERS")
  if timers_file then
    timers = read_lines(timers_file)
    timer_step = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
    timer_position = tonumber(os.getenv("BENCH_TIMER_OFFSET") or "0") + (tid or 0)
    -- Split each body once at its placeholder: a request then only joins three strings.
    for i, body in ipairs(bodies) do
      local first, last = string.find(body, PLACEHOLDER, 1, true)
      if first then
        bodies[i] = { string.sub(body, 1, first - 1), string.sub(body, last + 1) }
      end
    end
  end
  -- Threads start at different places in the list, so they do not look up the same reports.
  position = (tid or 0) * 997
end

function request()
  if #paths > 0 then
    position = position % #paths + 1
    return wrk.format(nil, paths[position])
  end
  if #bodies == 0 then
    return wrk.format(nil, nil)
  end
  position = position % #bodies + 1
  local body = bodies[position]
  if type(body) == "table" then
    -- Past the end of the list a timer is reused: the server refuses it (not a 303), as it should.
    local timer = timers[timer_position % #timers + 1]
    timer_position = timer_position + timer_step
    body = body[1] .. timer .. body[2]
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts") or {}
    for code, n in pairs(c) do
      local key = tostring(code)
      statuses[key] = (statuses[key] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(statuses) do
    table.insert(parts, string.format('"%s": %d', code, n))
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format("p95 latency: %.2f ms\n", ms(95)))
  io.write(string.format(
    'BENCH_JSON {"scenario": "%s", "connections": %s, "seconds": %.2f, "requests": %d, "rps": %.2f, '
      .. '"p50_ms": %.2f, "p90_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"statuses": {%s}}\n',
    os.getenv("BENCH_SCENARIO") or "?", os.getenv("BENCH_CONNECTIONS") or "0", seconds, summary.requests,
    summary.requests / seconds, ms(50), ms(90), ms(95), ms(99), latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
