-- wrk script for bench/run.py. Arguments (after --): expected status, cookie, and for prepared
-- requests a file prefix and a mode: thread i reads "<prefix><i>.txt", one request per line
-- (path TAB cookie TAB body).
--   "posts" (the step submissions): each line is a POST sent once, in order, each attempt's
--   steps in order. One connection per thread, so a thread's POSTs reach the server one after
--   another and each is the next legal step.
--   "cold" (the cold runs of trainee pages): each line is a GET sent again and again with the
--   header X-Bench-Cold: 1 (bench.middleware: the person's records change first). Each thread
--   has a person of its own, so every request follows a write to its person's records.
-- Prints one line "BENCH_JSON {...}" with the figures bench/run.py reads.

local threads = {}
local counter = 0
position = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  expect = tonumber(args[1])
  cookie = args[2] or ""
  prefix = args[3]
  mode = args[4] or "posts"
  unexpected = 0
  exhausted = 0
  prepared = nil
  position = 0
  if prefix and prefix ~= "" then
    prepared = {}
    for line in io.lines(prefix .. id .. ".txt") do
      local path, c, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      if mode == "cold" then
        table.insert(prepared, wrk.format("GET", path, {
          ["Cookie"] = c,
          ["X-Bench-Cold"] = "1",
        }))
      else
        table.insert(prepared, wrk.format("POST", path, {
          ["Cookie"] = c,
          ["Content-Type"] = "application/x-www-form-urlencoded",
        }, body))
      end
    end
  elseif cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
end

-- The position moves on only when a response arrives: a request lost to a failed write (wrk
-- reconnects and asks again) is sent again rather than skipped, which would make every later
-- step of that attempt stale.
function request()
  if prepared and mode == "cold" then
    return prepared[(position % #prepared) + 1]
  end
  if prepared then
    if position + 1 > #prepared then
      -- Out of prepared submissions: counted, and reported as errors by bench/run.py.
      exhausted = exhausted + 1
      return wrk.format("GET", "/healthz")
    end
    return prepared[position + 1]
  end
  return wrk.format(nil, wrk.path)
end

function response(status, headers, body)
  if prepared then
    position = position + 1
  end
  if status ~= expect then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local wrong, out_of_posts = 0, 0
  for _, thread in ipairs(threads) do
    wrong = wrong + (thread:get("unexpected") or 0)
    out_of_posts = out_of_posts + (thread:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"socket_errors": %d, "timeouts": %d, "unexpected_status": %d, "out_of_posts": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write, e.timeout, wrong, out_of_posts))
end
