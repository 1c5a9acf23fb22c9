-- Routes: ip.route(cmd, spec), ip.routes(filter).
--
-- A route is one rtmsg: the fixed header holds family, dst_len, table (when
-- below 256), proto, scope and type; the attributes hold the rest:
--
--   RTA_DST      destination prefix address (none for the default route)
--   RTA_GATEWAY  next hop
--   RTA_PREFSRC  preferred source address
--   RTA_PRIORITY metric
--   RTA_TABLE    table id (only when 256 or more)
--   RTA_OIF      output interface index
--   RTA_METRICS  RTAX_* pairs (mtu, advmss, …), nested
--   RTA_MULTIPATH a list of rtnexthop records, each with its own RTA_GATEWAY
--
-- add, replace, append and del build the same message as
-- `ip route add|replace|append|del …` (iproute2), attributes in its order.
local IP, U = ...

local AF = {inet = AF_INET, inet6 = AF_INET6, ipv4 = AF_INET, ipv6 = AF_INET6}

-- Names accepted for rtmsg's enums (the constants' suffixes, lower case).
local type_names = {'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole',
  'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'}
local scope_names = {'universe', 'global', 'site', 'link', 'host', 'nowhere'}
local proto_names = {'unspec', 'redirect', 'kernel', 'boot', 'static', 'gated', 'ra', 'mrt',
  'zebra', 'bird', 'dnrouted', 'xorp', 'ntk', 'dhcp', 'mrouted', 'keepalived', 'babel',
  'openr', 'bgp', 'isis', 'ospf', 'rip', 'eigrp'}

-- enum turns a name ('boot' or 'RTPROT_BOOT'), a numeric string or a number
-- into the value of the constant prefix..NAME.
local function enum(fname, v, prefix, names, aliases)
  if type(v) == 'number' then return v end
  if type(v) == 'string' then
    local n = tonumber(v) or (aliases and aliases[v]) or rtnl[prefix .. v:upper()]
    if n == nil and v:sub(1, #prefix) == prefix then n = rtnl[v] end
    if type(n) == 'number' then return n end
    local hint = nl.closest(v, names)
    if hint then
      error(("%s: unknown name '%s' (did you mean '%s'?)"):format(fname, v, hint), 0)
    end
  end
  error(("%s: expected a number or one of %s, got '%s'"):format(
    fname, table.concat(names, ', '), tostring(v)), 0)
end

local function rtype(fname, v) return enum(fname .. ': type', v, 'RTN_', type_names) end
local function rscope(fname, v)
  return enum(fname .. ': scope', v, 'RT_SCOPE_', scope_names, {global = RT_SCOPE_UNIVERSE})
end
local function rproto(fname, v) return enum(fname .. ': proto', v, 'RTPROT_', proto_names) end

-- Table names: the kernel's reserved ones, then iproute2's rt_tables file
-- (read once, if it exists: nothing fails without it).
local table_ids = {unspec = RT_TABLE_UNSPEC, compat = RT_TABLE_COMPAT,
  default = RT_TABLE_DEFAULT, main = RT_TABLE_MAIN, ['local'] = RT_TABLE_LOCAL}
local rt_tables_read = false

local function read_rt_tables()
  rt_tables_read = true
  for _, path in ipairs({'/etc/iproute2/rt_tables', '/usr/share/iproute2/rt_tables',
      '/usr/lib/iproute2/rt_tables'}) do
    local f = io.open(path)
    if f then
      for line in f:lines() do
        local id, name = line:match('^%s*(%d+)%s+([%w_%-%.]+)')
        if id and table_ids[name] == nil then table_ids[name] = tonumber(id) end
      end
      f:close()
    end
  end
end

local function table_id(fname, v)
  if type(v) == 'number' then return v end
  if type(v) == 'string' then
    if tonumber(v) then return tonumber(v) end
    if table_ids[v] == nil and not rt_tables_read then read_rt_tables() end
    if table_ids[v] then return table_ids[v] end
  end
  error(("%s: unknown table '%s' (a number, main, local, default, or a name from /etc/iproute2/rt_tables)"):format(
    fname, tostring(v)), 0)
end

local function family_of(fname, v)
  if v == nil then return nil end
  if type(v) == 'number' then return v end
  if AF[v] then return AF[v] end
  error(("%s: family must be AF_INET, AF_INET6, 'inet' or 'inet6', got '%s'"):format(fname, tostring(v)), 0)
end

local function addr_family(a)
  return a:find(':', 1, true) and AF_INET6 or AF_INET
end

-- dst parses 'a.b.c.d/len', an IPv6 prefix, a bare address (a host route)
-- or 'default' into address (nil for the default route), length, family.
local function dst_of(fname, v)
  if v == 'default' then return nil, 0, nil end
  local a, len, fam = U.prefix(v, fname .. ': dst')
  if len == 0 then a = nil end   -- '0.0.0.0/0' is the default route too
  return a, len, fam
end

-- RTA_METRICS: RTAX_* in the kernel's order.
local metric_names = {'lock', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss',
  'reordering', 'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack',
  'cc_algo', 'fastopen_no_cookie'}
local metric_keys = U.keys(metric_names)

local function metrics(fname, spec)
  if type(spec) ~= 'table' then
    error(fname .. ': metrics: expected a table such as {mtu=1400}, got ' .. type(spec), 0)
  end
  if spec[1] ~= nil then return spec end   -- already a list of {'RTAX_…', v} pairs
  U.check(fname .. ': metrics', spec, metric_keys)
  local out = {}
  for _, k in ipairs(metric_names) do
    if spec[k] ~= nil then out[#out + 1] = {'RTAX_' .. k:upper(), spec[k]} end
  end
  return out
end

-- RTA_MULTIPATH: one rtnexthop per entry; the kernel's weight is hops + 1.
local nexthop_keys = U.keys({'gateway', 'via', 'oif', 'dev', 'hops', 'weight', 'onlink'})

local function nexthops(self, fname, list)
  if type(list) ~= 'table' then
    error(fname .. ': multipath: expected a list of nexthops such as {{gateway=…}, …}', 0)
  end
  local out = {}
  for i, nh in ipairs(list) do
    local what = ('%s: multipath[%d]'):format(fname, i)
    U.check(what, nh, nexthop_keys)
    local hops = nh.hops or 0
    if nh.weight then
      if type(nh.weight) ~= 'number' or nh.weight < 1 or nh.weight > 256 then
        error(what .. ': weight must be a number from 1 to 256', 0)
      end
      hops = nh.weight - 1
    end
    local dev = nh.oif or nh.dev
    local gw = nh.gateway or nh.via
    out[i] = {
      flags = nh.onlink and RTNH_F_ONLINK or 0,
      hops = hops,
      oif = dev and U.ifindex(self, dev, what .. (nh.oif and ': oif' or ': dev')) or 0,
      attrs = gw and {{'RTA_GATEWAY', gw}} or {},
    }
  end
  return out
end

local route_keys = U.keys({'dst', 'dst_len', 'gateway', 'via', 'oif', 'dev', 'table',
  'priority', 'metric', 'proto', 'scope', 'type', 'src', 'prefsrc', 'metrics', 'multipath',
  'family', 'onlink', 'tos'})
local get_keys = U.keys({'dst', 'src', 'from', 'oif', 'dev', 'iif', 'mark', 'uid', 'family',
  'fib_match'})
local verbs = U.keys({'add', 'del', 'replace', 'append', 'get', 'dump', 'flush'})

-- Keys people bring from other tools, and what nlsh calls them; edit
-- distance alone would not find these ('gw' is closer to 'dev').
local hints = {gw = "'gateway'", nexthop = "'multipath'", nexthops = "'multipath'",
  weight = "'multipath' (a list of {gateway=…, weight=…})", protocol = "'proto'",
  preference = "'priority'", pref_src = "'prefsrc'"}
for _, k in ipairs(metric_names) do hints[k] = 'metrics = {' .. k .. ' = …}' end

-- check is U.check with those hints first.
local function check(fname, spec, valid)
  if type(spec) == 'table' then
    for k in pairs(spec) do
      if not valid[k] and hints[k] then
        error(("%s: unknown key '%s' (did you mean %s?)"):format(fname, k, hints[k]), 0)
      end
    end
  end
  local checked = U.check(fname, spec, valid)   -- not a tail call: keeps U.check's error level
  return checked
end

-- Types whose routes live in the local table unless one is given (as iproute2).
local local_types = {[RTN_LOCAL] = true, [RTN_BROADCAST] = true, [RTN_ANYCAST] = true,
  [RTN_NAT] = true}

-- change builds the RTM_NEWROUTE (add, replace, append) or RTM_DELROUTE
-- (del) message, with iproute2's defaults.
local function change(self, cmd, spec)
  local fname = 'ip.route'
  if spec.dst == nil then
    error(fname .. ": " .. cmd .. " needs dst (a prefix such as '10.8.0.0/16', or 'default')", 0)
  end
  local dst, dst_len, fam = dst_of(fname, spec.dst)
  if spec.dst_len then dst_len = spec.dst_len end
  local gw = spec.gateway or spec.via
  local src = spec.prefsrc or spec.src
  local mp = spec.multipath and nexthops(self, fname, spec.multipath)
  -- The family: given, or that of the first address in the spec.
  local first_gw = mp and mp[1] and mp[1].attrs[1] and mp[1].attrs[1][2]
  fam = family_of(fname, spec.family) or fam
    or (gw and addr_family(gw)) or (first_gw and addr_family(first_gw))
    or (src and addr_family(src)) or AF_INET

  local del = cmd == 'del'
  local m = U.msg('rtmsg', del and RTM_DELROUTE or RTM_NEWROUTE, U.flags[cmd])
  m.family = fam
  m.dst_len = dst_len
  m.tos = spec.tos or 0
  -- Deleting matches any protocol and type unless given; adding defaults to
  -- proto boot and type unicast.
  m.proto = spec.proto and rproto(fname, spec.proto) or (del and RTPROT_UNSPEC or RTPROT_BOOT)
  m.type = spec.type and rtype(fname, spec.type) or (del and RTN_UNSPEC or RTN_UNICAST)
  -- The scope iproute2 picks: host for local routes, link for device routes
  -- without a gateway, universe otherwise (always for IPv6); nowhere (any)
  -- when deleting.
  if spec.scope then
    m.scope = rscope(fname, spec.scope)
  elseif fam == AF_INET6 then
    m.scope = RT_SCOPE_UNIVERSE
  elseif m.type == RTN_LOCAL or m.type == RTN_NAT then
    m.scope = RT_SCOPE_HOST
  elseif m.type == RTN_BROADCAST or m.type == RTN_MULTICAST or m.type == RTN_ANYCAST then
    m.scope = RT_SCOPE_LINK
  elseif m.type == RTN_UNICAST or m.type == RTN_UNSPEC then
    if del then m.scope = RT_SCOPE_NOWHERE
    elseif not gw and not mp then m.scope = RT_SCOPE_LINK
    else m.scope = RT_SCOPE_UNIVERSE end
  else
    m.scope = del and RT_SCOPE_NOWHERE or RT_SCOPE_UNIVERSE
  end
  m.flags = spec.onlink and RTNH_F_ONLINK or 0

  -- Table: in the header when it fits in a byte, else in RTA_TABLE.
  local tid = spec.table and table_id(fname, spec.table)
    or (local_types[m.type] and RT_TABLE_LOCAL or RT_TABLE_MAIN)
  m.table = tid < 256 and tid or RT_TABLE_UNSPEC

  local a = {}
  if dst then a[#a + 1] = {'RTA_DST', dst} end
  if gw then a[#a + 1] = {'RTA_GATEWAY', gw} end
  if src then a[#a + 1] = {'RTA_PREFSRC', src} end
  local prio = spec.priority or spec.metric
  if prio then a[#a + 1] = {'RTA_PRIORITY', prio} end
  if tid >= 256 then a[#a + 1] = {'RTA_TABLE', tid} end
  local dev = spec.oif or spec.dev
  if dev then a[#a + 1] = {'RTA_OIF', U.ifindex(self, dev, fname .. (spec.oif and ': oif' or ': dev'))} end
  if spec.metrics then a[#a + 1] = {'RTA_METRICS', metrics(fname, spec.metrics)} end
  if mp then a[#a + 1] = {'RTA_MULTIPATH', mp} end
  m.attrs = a
  return m
end

-- lookup builds RTM_GETROUTE without NLM_F_DUMP: the kernel resolves dst as
-- it would route a packet (`ip route get`) and answers with one route.
local function lookup(self, spec)
  local fname = 'ip.route get'
  if type(spec.dst) ~= 'string' then error(fname .. ": needs dst (an address such as '10.8.1.1')", 0) end
  local dst, _, fam = U.prefix(spec.dst, fname .. ': dst')
  fam = family_of(fname, spec.family) or fam
  local full = fam == AF_INET6 and 128 or 32
  local m = U.msg('rtmsg', RTM_GETROUTE, U.flags.get)
  m.family = fam
  m.dst_len = full
  m.flags = spec.fib_match and RTM_F_FIB_MATCH or 0
  local a = {{'RTA_DST', dst}}
  local from = spec.src or spec.from
  if from then
    m.src_len = full
    a[#a + 1] = {'RTA_SRC', from}
  end
  if spec.iif then a[#a + 1] = {'RTA_IIF', U.ifindex(self, spec.iif, fname .. ': iif')} end
  local dev = spec.oif or spec.dev
  if dev then a[#a + 1] = {'RTA_OIF', U.ifindex(self, dev, fname .. (spec.oif and ': oif' or ': dev'))} end
  if spec.mark then a[#a + 1] = {'RTA_MARK', spec.mark} end
  if spec.uid then a[#a + 1] = {'RTA_UID', spec.uid} end
  m.attrs = a
  if spec.dry then return m end
  return U.socket(self):request(m)[1]
end

-- flush deletes every route ip.routes(filter) returns, each by its key
-- (family, prefix, tos, table, protocol, scope, type, metric, device,
-- gateway), and returns how many it deleted; with dry, the messages.
local function flush(self, filter)
  if filter == nil or (type(filter) == 'table' and next(filter) == nil) then
    error("ip.route flush: give a filter ({table=100}, {dev='v0'}, a function, …); it would flush every route", 0)
  end
  local dry = type(filter) == 'table' and filter.dry
  local f = filter
  if dry then
    f = {}
    for k, v in pairs(filter) do if k ~= 'dry' then f[k] = v end end
  end
  local out, n = {}, 0
  for _, r in ipairs(IP.routes(self, f)) do
    local m = U.msg('rtmsg', RTM_DELROUTE, U.flags.del)
    m.family, m.dst_len, m.src_len, m.tos = r.family, r.dst_len, r.src_len, r.tos
    m.table, m.proto, m.scope, m.type = r.table, r.proto, r.scope, r.type
    local a = {}
    for _, name in ipairs({'RTA_DST', 'RTA_SRC', 'RTA_TABLE', 'RTA_PRIORITY', 'RTA_OIF', 'RTA_GATEWAY'}) do
      local v = r:get(name)
      if v ~= nil then a[#a + 1] = {name, v} end
    end
    m.attrs = a
    if dry then
      out[#out + 1] = m
    else
      -- A route may already be gone with an earlier one (ESRCH): fine.
      local ok, e = pcall(U.socket(self).request, U.socket(self), m)
      if ok then n = n + 1
      elseif type(e) ~= 'table' or e.code ~= 'ESRCH' then error(e, 0) end
    end
  end
  if dry then return out end
  return n
end

function IP.route(self, cmd, spec)
  U.verb('ip.route', cmd, verbs)
  if cmd == 'dump' then return IP.routes(self, spec) end
  if cmd == 'flush' then return flush(self, spec) end
  if cmd == 'get' then return lookup(self, check('ip.route get', spec, get_keys)) end
  spec = check('ip.route', spec, route_keys)
  return U.send(self, change(self, cmd, spec), spec)
end

-- ---------------------------------------------------------------------------
-- routes(filter): a strict dump. What the kernel can filter goes into the
-- request (family and, as rtmsg fields, proto and type; table and oif as
-- RTA_TABLE and RTA_OIF: with strict checking, which nl.socket turns on,
-- the kernel sends only the routes they select); the rest is tested here,
-- per message, reading attributes first (cheap: the message stays raw) and
-- fixed fields last (reading one decodes the header).

-- Keys a filter may use: those below, rtmsg's fields, and RTA_* short names.
local filter_keys = U.keys({'family', 'dst_len', 'src_len', 'tos', 'table', 'proto', 'scope',
  'type', 'flags', 'dst', 'src', 'iif', 'oif', 'dev', 'gateway', 'via', 'priority', 'metric',
  'prefsrc', 'flow', 'mark', 'pref', 'encap_type', 'expires', 'uid', 'nh_id'})
local fields = U.keys({'family', 'dst_len', 'src_len', 'tos', 'table', 'proto', 'scope', 'type', 'flags'})

-- canon writes an address as the decoder does ('2001:0db8::1' → '2001:db8::1'),
-- so a filter compares equal to decoded attributes; it also checks it.
local function canon(fname, a)
  local m = rtnl.rtmsg()
  m.header.type = RTM_NEWROUTE
  m.attrs = {{'RTA_GATEWAY', a}}
  local ok, d = pcall(function() return rtnl.decode(m:encode())[1] end)
  if not ok then error(("%s: '%s' is not an IP address"):format(fname, tostring(a)), 0) end
  return d:get('RTA_GATEWAY')
end

-- compile turns a filter table into the dump request's selectors and a
-- list of tests, resolving every name once.
local function compile(self, req, filter)
  local fname = 'ip.routes'
  local attr_tests, field_tests = {}, {}
  local function attr(fn) attr_tests[#attr_tests + 1] = fn end
  local function field(fn) field_tests[#field_tests + 1] = fn end
  local a = req.attrs
  local keys = {}
  for k in pairs(filter) do keys[#keys + 1] = k end
  table.sort(keys)   -- a stable request and test order
  for _, k in ipairs(keys) do
    local want = filter[k]
    if U.common[k] then
      -- dry and echo are options, not filters
    elseif k == 'family' then
      req.family = family_of(fname, want)
    elseif k == 'table' then
      local id = table_id(fname, want)
      if id == 0 then field(function(m) return m.table == 0 and m:get('RTA_TABLE') == nil end)
      else a[#a + 1] = {'RTA_TABLE', id} end
    elseif k == 'oif' or k == 'dev' then
      a[#a + 1] = {'RTA_OIF', U.ifindex(self, want, fname .. ': ' .. k)}
    elseif k == 'proto' or k == 'type' then
      local v = k == 'proto' and rproto(fname, want) or rtype(fname, want)
      if v == 0 then field(function(m) return m[k] == 0 end)   -- 0 selects nothing in the kernel
      else req[k] = v end
    elseif k == 'scope' then
      local v = rscope(fname, want)
      field(function(m) return m.scope == v end)
    elseif k == 'dst' then
      local addr, len
      if want ~= 'default' then
        local s = tostring(want)
        addr, len = U.prefix(s, fname .. ': dst')
        if not s:find('/', 1, true) then len = nil end   -- a bare address: any length
        if len == 0 then addr = nil else addr = canon(fname .. ': dst', addr) end
      end
      if addr == nil then
        attr(function(m) return m:get('RTA_DST') == nil end)
      else
        attr(function(m) return m:get('RTA_DST') == addr end)
        if len then field(function(m) return m.dst_len == len end) end
      end
    elseif k == 'gateway' or k == 'via' or k == 'prefsrc' or k == 'src' then
      local name = (k == 'gateway' or k == 'via') and 'RTA_GATEWAY' or 'RTA_' .. k:upper()
      local v = canon(fname .. ': ' .. k, want)
      attr(function(m) return m:get(name) == v end)
    elseif k == 'priority' or k == 'metric' then
      -- IPv4 routes of metric 0 carry no RTA_PRIORITY.
      attr(function(m) return (m:get('RTA_PRIORITY') or 0) == want end)
    elseif fields[k] then
      field(function(m) return m[k] == want end)
    else
      local name = 'RTA_' .. k:upper()
      attr(function(m) return m:get(name) == want end)
    end
  end
  -- An IPv4 or IPv6 dst or gateway picks the family, so the kernel skips
  -- the other one.
  if filter.family == nil and req.family == AF_UNSPEC then
    local addr = (filter.dst ~= 'default' and filter.dst) or filter.gateway or filter.via
    if type(addr) == 'string' then req.family = addr_family(addr) end
  end
  -- Attribute tests first: they read the raw message without building it.
  for _, fn in ipairs(field_tests) do attr_tests[#attr_tests + 1] = fn end
  return attr_tests
end

function IP.routes(self, filter)
  local req = U.msg('rtmsg', RTM_GETROUTE, U.flags.dump)
  req.attrs = {}
  local tests = {}
  if type(filter) == 'table' then
    U.check('ip.routes', filter, filter_keys)
    tests = compile(self, req, filter)
    if filter.dry then return req end
  elseif filter ~= nil and type(filter) ~= 'function' then
    error('ip.routes: expected a filter table or function, got ' .. type(filter), 0)
  end
  local ok, replies = pcall(U.socket(self).request, U.socket(self), req)
  if not ok then
    -- A dump of one family's table that does not exist: no routes.
    if type(replies) == 'table' and replies.code == 'ENOENT' and req.family ~= AF_UNSPEC then
      return {}
    end
    error(replies, 0)
  end
  if type(filter) == 'function' then
    local out = {}
    for _, m in ipairs(replies) do
      if filter(m) then out[#out + 1] = m end
    end
    return out
  end
  local n = #tests
  if n == 0 then return replies end
  local out = {}
  for _, m in ipairs(replies) do
    local keep = true
    for i = 1, n do
      if not tests[i](m) then keep = false; break end
    end
    if keep then out[#out + 1] = m end
  end
  return out
end
