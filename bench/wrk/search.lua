-- wrk script for `bench service`: POSTs one search per request, each with the next text of a query file, so that no
-- two requests of a run repeat a text (a text-embedding cache would otherwise measure itself).
--   QUERIES=path/to/queries.txt BODY_PREFIX='{"collection":"bench",' wrk -s search.lua ...
-- Each wrk thread starts at its own offset; the body is BODY_PREFIX .. "text": "...", "k": 10}.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do queries[#queries + 1] = line end
local prefix = os.getenv("BODY_PREFIX") or "{"
local k = os.getenv("K") or "10"
local threads = 0

function setup(thread)
  thread:set("offset", threads * 50000)
  threads = threads + 1
end

local i = 0
function init(args)
  i = offset or 0
end

function request()
  i = i + 1
  local text = queries[(i % #queries) + 1]
  local body = prefix .. '"text":"' .. text .. '","k":' .. k .. '}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
