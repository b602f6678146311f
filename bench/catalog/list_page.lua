-- wrk script: pages of the public list (20 per page), spread over the first 100 pages.
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/micro-credentials?page=" .. ((n % 100) + 1) .. "&page_size=20&sort=title")
end
