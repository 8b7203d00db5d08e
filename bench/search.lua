-- wrk script: GET /api/jobs with category + 10 km radius + a text query,
-- cycling through realistic combinations. TOKEN comes from the environment.
local token = os.getenv("TOKEN")
local cities = { {30.0444, 31.2357}, {30.0131, 31.2089}, {31.2001, 29.9187}, {31.0409, 31.3785}, {30.7865, 31.0004} }
local searches = {
  {"plumbing", "leak"}, {"plumbing", "سباك"}, {"electrical", "socket"}, {"painting", "paint"},
  {"carpentry", "door"}, {"cleaning", "تنظيف"}, {"ac-repair", "air conditioner"}, {"plumbing", "water heater"},
  {"appliance-repair", "fridge"}, {"moving", "furniture"}, {"tiling", "ceramic"}, {"locksmith", "lock"},
}
local i = 0
request = function()
  i = i + 1
  local c = cities[(i % #cities) + 1]
  local s = searches[(i % #searches) + 1]
  local q = s[2]:gsub("([^%w])", function(ch) return string.format("%%%02X", string.byte(ch)) end)
  local path = string.format("/api/jobs?category=%s&lat=%.4f&lng=%.4f&radiusKm=10&q=%s", s[1], c[1], c[2], q)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
