-- Autosave: PATCH /api/v1/letters/{id} with the revision the last answer gave. Each
-- connection owns one draft (BENCH_LETTERS, comma-separated, made by the harness), so
-- no save is ever stale; a 409 would count as unexpected.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local headers, path
local revision = 1
local filler

function init(args)
  headers = base_headers()
  headers["Content-Type"] = "application/json"
  local letters = split(env("BENCH_LETTERS"), ",")
  path = "/api/v1/letters/" .. letters[((id - 1) % #letters) + 1]
  filler = string.rep("The tea went cold while I looked for the words. ", 12)
end

function request()
  local body = string.format('{"revision":%d,"body":"%s draft %d"}', revision, filler, revision)
  return wrk.format("PATCH", path, headers, body)
end

function response(status, hdrs, body)
  if status == 200 then
    done_ops = done_ops + 1
    revision = tonumber(string.match(body, '"revision"%s*:%s*(%d+)')) or revision
  else
    bad = bad + 1
  end
end
