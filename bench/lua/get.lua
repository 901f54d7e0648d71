-- GET one path (BENCH_PATH) again and again; anything but 200 counts as unexpected.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local req

function init(args)
  req = wrk.format("GET", env("BENCH_PATH", "/healthz"), base_headers())
end

function request()
  return req
end

function response(status, headers, body)
  if status == 200 then done_ops = done_ops + 1 else bad = bad + 1 end
end
