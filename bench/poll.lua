-- Rotates GET single-restaurant-progress over the restaurants in paths.txt; with ETAGS=1 sends If-None-Match
-- with each restaurant's current ETag (the 304 path).
local paths = {}
local etags = {}
local token = os.getenv("TOKEN")
local use_etags = os.getenv("ETAGS") == "1"
for line in io.lines(os.getenv("PATHS_FILE")) do
  local path, etag = line:match("([^ ]+) ([^ ]+)")
  table.insert(paths, path)
  table.insert(etags, etag)
end
local i = 0
request = function()
  i = (i % #paths) + 1
  local headers = { ["Authorization"] = "Bearer " .. token }
  if use_etags then headers["If-None-Match"] = etags[i] end
  return wrk.format("GET", paths[i], headers)
end
dofile("bench/report.lua")
