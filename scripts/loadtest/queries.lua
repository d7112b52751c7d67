-- wrk script: each request takes the next path from a list that mixes the
-- scenario's queries, so no single query is measured alone.
-- Usage: wrk ... -s queries.lua URL -- SCENARIO   (phrase | range | term | mixed)
local sets = {
  phrase = {
    "/api/search?q=%22sanctuary+city%22",
    "/api/search?q=%22rent+stabilization%22",
    "/api/search?q=%22zoning+variance%22",
    "/api/search?q=%22participatory+budgeting%22",
  },
  range = {
    "/api/search?q=%22sanctuary+city%22&from=2017&to=2018",
    "/api/search?q=%22rent+stabilization%22&from=2010-01&to=2015-06",
    "/api/search?q=%22zoning+variance%22&from=2020-Q2&to=2024",
    "/api/search?q=%22participatory+budgeting%22&from=2005&to=2019-12-31",
  },
  term = {
    "/api/search?q=government",
    "/api/search?q=election",
    "/api/search?q=minister",
    "/api/search?q=tax",
    "/api/search?q=police+OR+court+OR+housing",
  },
}
sets.mixed = {}
for _, name in ipairs({"phrase", "range", "term"}) do
  for _, p in ipairs(sets[name]) do table.insert(sets.mixed, p) end
end

local paths
local i = 0
function init(args)
  paths = sets[args[1] or "mixed"] or sets.mixed
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
