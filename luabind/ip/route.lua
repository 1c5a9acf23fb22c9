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
-- That one is built in Go (luabind/ip_route.go, U.native.route), because
-- route tables are loaded by the hundred thousand; its rules, in short:
-- proto boot and type unicast unless given (any, when deleting); scope host
-- for local routes, link for a device route without a gateway, universe
-- otherwise (nowhere, any, when deleting); the table in rtm_table below 256,
-- else in RTA_TABLE; the family from the first address given.
-- ip.route('add', {…, dry=true}) returns the message to read.
local IP, U = ...

local native = U.native

-- value reads a proto, type, scope, table or family by name or number, as
-- ip.route does ('boot', 'RTPROT_BOOT', 4, 'main', 'inet6', …).
local function value(kind, fname, v) return native.route_value(kind, fname, v) end

local function family_of(fname, v)
  if v == nil then return nil end
  return value('family', fname, v)
end

local get_keys = U.keys({'dst', 'src', 'from', 'oif', 'dev', 'iif', 'mark', 'uid', 'family',
  'fib_match'})
local verbs = U.keys({'add', 'del', 'replace', 'append', 'get', 'dump', 'flush'})

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
  return U.socket(self):request(m, {timeout = spec.timeout})[1]
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
  if cmd == 'get' then return lookup(self, U.check('ip.route get', spec, get_keys)) end
  return U.send(self, native.route(IP, self, cmd, spec, U.flags[cmd]), spec)
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
      local id = value('table', fname, want)
      if id == 0 then field(function(m) return m.table == 0 and m:get('RTA_TABLE') == nil end)
      else a[#a + 1] = {'RTA_TABLE', id} end
    elseif k == 'oif' or k == 'dev' then
      a[#a + 1] = {'RTA_OIF', U.ifindex(self, want, fname .. ': ' .. k)}
    elseif k == 'proto' or k == 'type' then
      local v = value(k, fname, want)
      if v == 0 then field(function(m) return m[k] == 0 end)   -- 0 selects nothing in the kernel
      else req[k] = v end
    elseif k == 'scope' then
      local v = value('scope', fname, want)
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
    if type(addr) == 'string' then req.family = select(3, U.prefix(addr, fname)) end
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
  local ok, replies = pcall(U.fetch, self, req, filter)
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
