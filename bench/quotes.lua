-- wrk script: each request submits a quote for a distinct (craftsman, open
-- job) pair read from $PAIRS ("<token> <jobId>" per line), split across threads.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  pairs_list = {}
  local n = 0
  for line in io.lines(os.getenv("PAIRS")) do
    if n % tonumber(os.getenv("THREADS") or "2") == id then
      local token, job = line:match("(%S+) (%S+)")
      table.insert(pairs_list, {token, job})
    end
    n = n + 1
  end
  cursor = 0
end
request = function()
  cursor = cursor + 1
  local p = pairs_list[((cursor - 1) % #pairs_list) + 1]
  return wrk.format("POST", "/api/jobs/" .. p[2] .. "/quotes",
    { ["Authorization"] = "Bearer " .. p[1], ["Content-Type"] = "application/json" },
    '{"price": 25000, "notes": "Available tomorrow", "estimatedDuration": "3 hours"}')
end
