-- snapshot.lua FILE: write every address and route of the namespace to FILE
-- as a Lua table that restore.lua (or dofile) reads back:
--
--   return {
--     addrs = {
--       {ifname = 'v0', address = '10.0.0.1/24', broadcast = '10.0.0.255'},
--       …
--     },
--     routes = {
--       {dst = '10.8.0.0/16', gateway = '10.0.0.2', dev = 'v0', metrics = {mtu = 1400}},
--       …
--     },
--   }
--
-- Each entry is a spec for ip.addr('add', …) or ip.route('add', …), with
-- links by name, not index, so it can be restored where the indexes differ.
-- Left out, because the kernel makes them itself: IPv6 link-local addresses
-- (fe80::/10), the loopback's own addresses (scope host on lo), routes of
-- proto kernel (the prefix routes of addresses) and the local table. Every
-- other table is kept (table = N unless main). A FILE of '-' prints the
-- snapshot instead.
--
--   nlsh --netns demo scripts/snapshot.lua demo.snap
--   nlsh --netns fresh scripts/restore.lua demo.snap

local file = arg[1]
if not file then error('usage: snapshot.lua FILE (or - for standard output)', 0) end

-- Link names by index.
local names = {}
for _, l in ipairs(ip.links()) do names[l.index] = l:get('IFLA_IFNAME') end
local function name_of(index)
  return names[index] or error(('snapshot.lua: no link with index %d'):format(index), 0)
end

-- Reverse lookups of the kernel's constants: RTPROT_STATIC -> 'static'.
local function const_name(prefix, value)
  for k, v in pairs(rtnl) do
    if v == value and type(k) == 'string' and k:sub(1, #prefix) == prefix then
      return k:sub(#prefix + 1):lower()
    end
  end
  return value
end
local scope_names = {[RT_SCOPE_SITE] = 'site', [RT_SCOPE_LINK] = 'link', [RT_SCOPE_HOST] = 'host',
  [RT_SCOPE_NOWHERE] = 'nowhere'}

-- addr_key makes addresses sort by value: 10.8.0.0 before 10.20.0.0, and
-- IPv6 addresses by their groups written out in full.
local function addr_key(a)
  if a == 'default' then return '' end
  local ip, len = a:match('^([^/]+)/?(%d*)$')
  local o = {ip:match('^(%d+)%.(%d+)%.(%d+)%.(%d+)$')}
  if #o == 4 then
    return ('%03d.%03d.%03d.%03d/%03d'):format(o[1], o[2], o[3], o[4], tonumber(len) or 32)
  end
  local head, tail = ip:match('^(.-)::(.*)$')
  local groups = {}
  for g in (head or ip):gmatch('%x+') do groups[#groups + 1] = g end
  local rest = {}
  for g in (tail or ''):gmatch('%x+') do rest[#rest + 1] = g end
  while #groups + #rest < 8 do groups[#groups + 1] = '0' end
  for _, g in ipairs(rest) do groups[#groups + 1] = g end
  for i, g in ipairs(groups) do groups[i] = ('%04x'):format(tonumber(g, 16)) end
  return table.concat(groups, ':') .. ('/%03d'):format(tonumber(len) or 128)
end

---------------------------------------------------------------------------
-- Addresses

-- Address flags a user sets; the others (permanent, tentative, secondary…)
-- are states the kernel reports.
local settable = {'nodad', 'noprefixroute', 'homeaddress', 'managetempaddr', 'mcautojoin', 'optimistic'}
local FOREVER = 0xffffffff

local addrs = {}
for _, a in ipairs(ip.addrs()) do
  local ifname = name_of(a.index)
  local pfx, loc = a:get('IFA_ADDRESS'), a:get('IFA_LOCAL')
  local addr = loc or pfx
  local kernel_made = (a.family == AF_INET6 and addr:lower():match('^fe[89ab]%x:'))
    or (ifname == 'lo' and a.scope == RT_SCOPE_HOST)
  if not kernel_made then
    local e = {ifname = ifname, address = addr .. '/' .. a.prefixlen}
    if loc and pfx and loc ~= pfx then   -- point-to-point: local and peer
      e.address, e['local'] = pfx .. '/' .. a.prefixlen, loc
    end
    e.broadcast = a:get('IFA_BROADCAST')
    local label = a:get('IFA_LABEL')
    if label and label ~= ifname then e.label = label end
    if a.scope ~= RT_SCOPE_UNIVERSE then e.scope = scope_names[a.scope] or a.scope end
    local bits, set = a:get('IFA_FLAGS') or a.flags, {}
    for _, f in ipairs(settable) do
      if bit.btest(bits, _G['IFA_F_' .. f:upper()]) then set[#set + 1] = f end
    end
    if #set > 0 then e.flags = table.concat(set, '|') end
    local ci = a:get('IFA_CACHEINFO')
    if ci and ci.ifa_valid ~= FOREVER then   -- what is left of a finite lifetime
      e.valid_lft, e.preferred_lft = ci.ifa_valid, ci.ifa_preferred
    end
    e.sort = ('%s %02d %s'):format(ifname, a.family, addr_key(e.address))
    addrs[#addrs + 1] = e
  end
end

---------------------------------------------------------------------------
-- Routes

-- The scope ip.route('add', …) picks by itself (as iproute2), so a route
-- records one only when it differs.
local function default_scope(r, has_gateway)
  if r.family == AF_INET6 then return RT_SCOPE_UNIVERSE end
  if r.type == RTN_LOCAL or r.type == RTN_NAT then return RT_SCOPE_HOST end
  if r.type == RTN_BROADCAST or r.type == RTN_MULTICAST or r.type == RTN_ANYCAST then return RT_SCOPE_LINK end
  if r.type == RTN_UNICAST and not has_gateway then return RT_SCOPE_LINK end
  return RT_SCOPE_UNIVERSE
end

local routes = {}
for _, r in ipairs(ip.routes()) do
  local tbl = r:get('RTA_TABLE') or r.table
  if tbl ~= RT_TABLE_LOCAL and r.proto ~= RTPROT_KERNEL then
    local dst = r:get('RTA_DST')
    local e = {dst = dst and (dst .. '/' .. r.dst_len) or 'default'}
    if not dst and r.family == AF_INET6 then e.family = 'inet6' end
    e.gateway = r:get('RTA_GATEWAY')
    local oif = r:get('RTA_OIF')
    if oif then e.dev = name_of(oif) end
    local mp = r:get('RTA_MULTIPATH')
    if mp then
      e.multipath = {}
      for i, nh in ipairs(mp) do
        local hop = {gateway = nh:get('RTA_GATEWAY')}
        if nh.oif ~= 0 then hop.dev = name_of(nh.oif) end
        if nh.hops ~= 0 then hop.weight = nh.hops + 1 end
        if bit.btest(nh.flags, RTNH_F_ONLINK) then hop.onlink = true end
        e.multipath[i] = hop
      end
    end
    e.prefsrc = r:get('RTA_PREFSRC')
    e.metric = r:get('RTA_PRIORITY')
    if tbl ~= RT_TABLE_MAIN then e.table = tbl end
    if r.proto ~= RTPROT_BOOT then e.proto = const_name('RTPROT_', r.proto) end
    if r.scope ~= default_scope(r, e.gateway or mp) then e.scope = scope_names[r.scope] or r.scope end
    if r.type ~= RTN_UNICAST then e.type = const_name('RTN_', r.type) end
    if r.tos ~= 0 then e.tos = r.tos end
    if bit.btest(r.flags, RTNH_F_ONLINK) then e.onlink = true end
    local metrics = r:get('RTA_METRICS')
    if metrics then
      e.metrics = {}
      for _, p in ipairs(metrics.attrs) do
        e.metrics[p[1]:gsub('^RTAX_', ''):lower()] = p[2]
      end
    end
    -- main first, then the other tables by number
    e.sort = ('%010d %02d %s %010d'):format(tbl == RT_TABLE_MAIN and 0 or tbl, r.family,
      addr_key(e.dst), e.metric or 0)
    routes[#routes + 1] = e
  end
end

---------------------------------------------------------------------------
-- Writing it

local function by_sort(x, y) return x.sort < y.sort end
table.sort(addrs, by_sort)
table.sort(routes, by_sort)

-- Keys in the order they read best; any others follow, sorted.
local order = {'ifname', 'dst', 'family', 'address', 'local', 'gateway', 'dev', 'weight',
  'onlink', 'multipath', 'prefsrc', 'broadcast', 'label', 'scope', 'flags', 'metric', 'table',
  'proto', 'type', 'tos', 'metrics', 'valid_lft', 'preferred_lft'}
local rank = {}
for i, k in ipairs(order) do rank[k] = i end

local function serialize(v)
  if type(v) == 'string' then return ('%q'):format(v) end
  if type(v) ~= 'table' then return tostring(v) end
  local parts = {}
  if v[1] ~= nil then   -- a list (multipath)
    for _, x in ipairs(v) do parts[#parts + 1] = serialize(x) end
    return '{' .. table.concat(parts, ', ') .. '}'
  end
  local keys = {}
  for k in pairs(v) do if k ~= 'sort' then keys[#keys + 1] = k end end
  table.sort(keys, function(x, y)
    local rx, ry = rank[x] or #order + 1, rank[y] or #order + 1
    if rx ~= ry then return rx < ry end
    return x < y
  end)
  for _, k in ipairs(keys) do
    local key = k:match('^[%a_][%w_]*$') and k ~= 'local' and k or ('[%q]'):format(k)
    parts[#parts + 1] = key .. ' = ' .. serialize(v[k])
  end
  return '{' .. table.concat(parts, ', ') .. '}'
end

local lines = {'-- Addresses and routes, written by nlsh scripts/snapshot.lua.',
  '-- Restore with: nlsh [--netns NS] scripts/restore.lua FILE', 'return {', '  addrs = {'}
for _, e in ipairs(addrs) do lines[#lines + 1] = '    ' .. serialize(e) .. ',' end
lines[#lines + 1] = '  },'
lines[#lines + 1] = '  routes = {'
for _, e in ipairs(routes) do lines[#lines + 1] = '    ' .. serialize(e) .. ',' end
lines[#lines + 1] = '  },'
lines[#lines + 1] = '}'
local text = table.concat(lines, '\n') .. '\n'

if file == '-' then
  print((text:gsub('\n$', '')))   -- print: it goes where nlsh's output goes
else
  local f = assert(io.open(file, 'w'))
  f:write(text)
  f:close()
  print(('snapshot.lua: %d addresses and %d routes written to %s'):format(#addrs, #routes, file))
end
