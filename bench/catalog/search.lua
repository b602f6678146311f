-- wrk script: full-text searches over a rotating set of realistic queries.
local queries = {"discussion", "formative+assessment", "growth+mindset", "literacy", "design+thinking",
                 "feedback", "retrieval+practice", "number+talks", "restorative", "inquiry"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/micro-credentials?q=" .. queries[(n % #queries) + 1] .. "&page_size=20")
end
