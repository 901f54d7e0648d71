-- The soak: every connection walks a writer's and a reader's day in a loop: write a
-- letter, autosave it, send it, then read the inbox (API and page), the home page, and
-- the health check. Writer requests carry BENCH_TOKEN; reader ones BENCH_READER_TOKEN
-- or the reader's session cookie BENCH_COOKIE.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local writer, reader_api, reader_web, create_body
local step, letter, revision = 1, nil, 1

function init(args)
  writer = {["Authorization"] = "Bearer " .. env("BENCH_TOKEN"),
            ["Content-Type"] = "application/json"}
  reader_api = {["Authorization"] = "Bearer " .. env("BENCH_READER_TOKEN")}
  reader_web = {["Cookie"] = env("BENCH_COOKIE")}
  create_body = string.format('{"home":"%s","to":["%s"],"body":"Soup is on the stove."}',
    env("BENCH_HOME"), env("BENCH_TO"))
end

local steps = {"create", "save", "send", "inbox_api", "inbox_page", "home", "healthz"}

function request()
  local s = steps[step]
  if s == "save" and letter then
    return wrk.format("PATCH", "/api/v1/letters/" .. letter, writer,
      string.format('{"revision":%d,"body":"Soup is on the stove, and bread."}', revision))
  elseif s == "send" and letter then
    return wrk.format("POST", "/api/v1/letters/" .. letter .. "/send", writer, "{}")
  elseif s == "inbox_api" then
    return wrk.format("GET", "/api/v1/letters?box=inbox", reader_api)
  elseif s == "inbox_page" then
    return wrk.format("GET", "/inbox", reader_web)
  elseif s == "home" then
    return wrk.format("GET", "/", reader_web)
  elseif s == "healthz" then
    return wrk.format("GET", "/healthz")
  end
  step = 1
  return wrk.format("POST", "/api/v1/letters", writer, create_body)
end

function response(status, hdrs, body)
  local s = steps[step]
  local want = (s == "create") and 201 or 200
  if status == want then
    done_ops = done_ops + 1
    if s == "create" then
      letter = string.match(body, '"id"%s*:%s*"([^"]+)"')
      revision = 1
    elseif s == "save" then
      revision = tonumber(string.match(body, '"revision"%s*:%s*(%d+)')) or revision
    end
  else
    bad = bad + 1
    if s == "create" then letter = nil end
  end
  step = step % #steps + 1
end
