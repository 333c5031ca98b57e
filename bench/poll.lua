-- Rotates GET single-restaurant-progress over the restaurants in paths.txt; with ETAGS=1 sends If-None-Match
-- with each restaurant's current ETag (the 304 path); with CEILING=1 asks for /actuator/health/liveness instead,
-- with the same token, as the app's own ceiling (same filter chain and token check, no database). DELAY_MS paces
-- each connection: it waits that long after every answer before its next request (a bounded rate).
local paths = {}
local etags = {}
local token = os.getenv("TOKEN")
local use_etags = os.getenv("ETAGS") == "1"
local ceiling = os.getenv("CEILING") == "1"
for line in io.lines(os.getenv("PATHS_FILE")) do
  local path, etag = line:match("([^ ]+) ([^ ]+)")
  table.insert(paths, path)
  table.insert(etags, etag)
end
local i = 0
local pause = tonumber(os.getenv("DELAY_MS") or "0")
if pause > 0 then
  delay = function() return pause end
end
request = function()
  i = (i % #paths) + 1
  local headers = { ["Authorization"] = "Bearer " .. token }
  if use_etags then headers["If-None-Match"] = etags[i] end
  return wrk.format("GET", ceiling and "/actuator/health/liveness" or paths[i], headers)
end
dofile("bench/report.lua")
