-- restore.lua FILE: recreate in this namespace the addresses and routes that
-- snapshot.lua wrote to FILE.
--
-- The links must exist already, with the same names (restore.lua makes no
-- links; it stops before changing anything if one is missing), and be up
-- where a route goes through a gateway: the kernel takes such a route only
-- when it can reach the gateway. Addresses and routes that are there
-- already are left as they are, so running it twice does no harm.
--
--   nlsh --netns demo scripts/snapshot.lua demo.snap
--   nlsh --netns fresh scripts/restore.lua demo.snap

local file = arg[1]
if not file then error('usage: restore.lua FILE (written by snapshot.lua)', 0) end

-- The snapshot is a Lua chunk returning a table: dofile runs it.
local snap = dofile(file)
if type(snap) ~= 'table' or type(snap.addrs) ~= 'table' or type(snap.routes) ~= 'table' then
  error(('restore.lua: %s does not look like a snapshot (no addrs and routes tables)'):format(file), 0)
end

-- Every link the snapshot names must be here.
local needed, missing = {}, {}
local function need(name) if name then needed[name] = true end end
for _, a in ipairs(snap.addrs) do need(a.ifname) end
for _, r in ipairs(snap.routes) do
  need(r.dev)
  for _, hop in ipairs(r.multipath or {}) do need(hop.dev) end
end
for name in pairs(needed) do
  if not ip.link_lookup(name) then missing[#missing + 1] = name end
end
if #missing > 0 then
  table.sort(missing)
  error(('restore.lua: %s names links that do not exist here: %s (create them first: '
    .. 'restore.lua brings back addresses and routes, not links)'):format(file, table.concat(missing, ', ')), 0)
end

local function describe(spec)
  return spec.address and (spec.address .. ' on ' .. spec.ifname)
    or (spec.dst .. (spec.table and (' table ' .. spec.table) or ''))
end

-- Addresses first: they bring the prefix routes gateways are reached by.
local added, present = 0, 0
for _, a in ipairs(snap.addrs) do
  local ok, err = pcall(ip.addr, 'add', a)
  if ok then added = added + 1
  elseif type(err) == 'table' and err.code == 'EEXIST' then present = present + 1
  else error(('restore.lua: address %s: %s'):format(describe(a), tostring(err)), 0) end
end

-- Then routes. A gateway may be reachable only through another route of
-- the snapshot, so a route the kernel refuses as unreachable waits for
-- the next round, as long as each round adds something.
local pending, routes, routes_present = snap.routes, 0, 0
while #pending > 0 do
  local later, last = {}, nil
  for _, r in ipairs(pending) do
    local ok, err = pcall(ip.route, 'add', r)
    local code = type(err) == 'table' and err.code
    if ok then
      routes = routes + 1
    elseif code == 'EEXIST' then
      routes_present = routes_present + 1
    elseif code == 'ENETUNREACH' then
      later[#later + 1], last = r, err
    elseif code == 'ENETDOWN' then
      error(('restore.lua: route %s: %s (bring its link up first)'):format(describe(r), tostring(err)), 0)
    else
      error(('restore.lua: route %s: %s'):format(describe(r), tostring(err)), 0)
    end
  end
  if #later == #pending then
    error(('restore.lua: route %s: %s (is its link up?)'):format(describe(later[1]), tostring(last)), 0)
  end
  pending = later
end

print(('restore.lua: %d addresses added (%d there already), %d routes added (%d there already)')
  :format(added, present, routes, routes_present))
