-- Send a letter through the API as a client would: POST /api/v1/letters (201, a draft),
-- then POST /api/v1/letters/{id}/send (200). Each connection alternates the two, taking
-- the id from the answer to its own create. One operation = one letter sent.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local headers, create_body
local letter = nil

function init(args)
  headers = base_headers()
  headers["Content-Type"] = "application/json"
  create_body = string.format(
    '{"home":"%s","to":["%s"],"body":"%s"}',
    env("BENCH_HOME"), env("BENCH_TO"), env("BENCH_BODY", "I left the kettle on for you."))
end

function request()
  if letter then
    return wrk.format("POST", "/api/v1/letters/" .. letter .. "/send", headers, "{}")
  end
  return wrk.format("POST", "/api/v1/letters", headers, create_body)
end

function response(status, hdrs, body)
  if letter then
    if status == 200 then done_ops = done_ops + 1 else bad = bad + 1 end
    letter = nil
  elseif status == 201 then
    letter = string.match(body, '"id"%s*:%s*"([^"]+)"')
    if not letter then bad = bad + 1 end
  else
    bad = bad + 1
  end
end
