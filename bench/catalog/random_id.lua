-- wrk script: GET one micro-credential, a random one of the seeded ids each request.
local ids = {}
for line in io.lines(os.getenv("CAIRN_BENCH_IDS")) do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/api/v1/micro-credentials/" .. ids[math.random(#ids)])
end
