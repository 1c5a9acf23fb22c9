-- Neighbours: ip.neigh(cmd, spec), ip.neighs(filter), and ip.fdb(cmd, spec)
-- for bridge forwarding-database entries.
--
-- A neighbour is one RTM_NEWNEIGH message: struct ndmsg (family, ifindex,
-- state, flags, ndm_type) and NDA_* attributes. ARP and NDP entries map an
-- IP address (NDA_DST) to a link-layer address (NDA_LLADDR); bridge FDB
-- entries (family AF_BRIDGE) map a MAC address to a bridge port.
local IP, U = ...

local keys = U.keys({'dst', 'lladdr', 'index', 'ifindex', 'ifname', 'dev', 'state', 'nud', 'flags',
  'family', 'proxy', 'master', 'vlan', 'vni', 'port'})

-- Names people reach for that are spelled differently here.
local aliases = {mac = 'lladdr', address = 'dst', addr = 'dst', ip = 'dst', vid = 'vlan'}

-- ndm_state values (NUD_*) by iproute2's names.
local states = {none = NUD_NONE, incomplete = NUD_INCOMPLETE, reachable = NUD_REACHABLE,
  stale = NUD_STALE, delay = NUD_DELAY, probe = NUD_PROBE, failed = NUD_FAILED,
  noarp = NUD_NOARP, permanent = NUD_PERMANENT}

-- ndm_flags bits (NTF_*) by iproute2's names.
local ntf = {use = NTF_USE, self = NTF_SELF, master = NTF_MASTER, proxy = NTF_PROXY,
  extern_learn = NTF_EXT_LEARNED, offloaded = NTF_OFFLOADED, sticky = NTF_STICKY,
  router = NTF_ROUTER}

local verbs = U.keys({'add', 'del', 'replace', 'get', 'dump', 'flush'})

local function sorted(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

local function check(fname, spec, valid)
  if type(spec) == 'table' then
    for k in pairs(spec) do
      if aliases[k] and not valid[k] then
        error(("%s: unknown key '%s' (did you mean '%s'?)"):format(fname, k, aliases[k]), 3)
      end
    end
  end
  U.check(fname, spec, valid)   -- not a tail call: its error level counts this frame
  return spec
end

-- bits reads a number, a name ('permanent', 'NUD_PERMANENT'), a
-- 'a|b' string or a list of names, against one of the tables above.
local function bits(v, names, prefix, what)
  if v == nil or type(v) == 'number' then return v end
  local list = v
  if type(v) == 'string' then
    list = {}
    for name in v:gmatch('[^|%s]+') do list[#list + 1] = name end
  end
  local n = 0
  for _, name in ipairs(list) do
    local b = name
    if type(name) == 'string' then
      local short = name:lower():gsub('^' .. prefix:lower(), '')
      b = names[short] or _G[prefix .. short:upper()]
      if not b then
        local hint = nl.closest(short, sorted(names))
        error(("%s '%s'%s (%s or a number)"):format(what, name,
          hint and (" (did you mean '" .. hint .. "'?)") or '', table.concat(sorted(names), ', ')), 4)
      end
    end
    n = bit.bor(n, b)
  end
  return n
end

local function state_bits(v, fname) return bits(v, states, 'NUD_', fname .. ': unknown state') end
local function flag_bits(v, fname) return bits(v, ntf, 'NTF_', fname .. ': unknown flag') end

-- ifindex reads the link of a spec: index/ifindex, or ifname/dev looked up.
local function ifindex(self, spec, fname)
  local v = spec.index or spec.ifindex or spec.ifname or spec.dev
  if v == nil then return nil end
  return U.ifindex(self, v, fname)
end

-- family is the spec's, else inferred: from dst for ARP/NDP entries, and
-- AF_BRIDGE for an entry that has only a MAC address.
local function family(spec)
  if spec.family then return spec.family end
  if spec.dst then return spec.dst:find(':', 1, true) and AF_INET6 or AF_INET end
  if spec.lladdr then return AF_BRIDGE end
  return AF_UNSPEC
end

-- entry builds the RTM_NEWNEIGH or RTM_DELNEIGH message for add, replace and
-- del, with iproute2's defaults and attribute order.
local function entry(self, cmd, spec)
  local fam = family(spec)
  local idx = ifindex(self, spec, 'ip.neigh')
  if not idx then error('ip.neigh ' .. cmd .. ': give index (or ifname)', 3) end
  local state = state_bits(spec.state or spec.nud, 'ip.neigh')
  local flags = flag_bits(spec.flags, 'ip.neigh') or 0
  if spec.proxy then flags = bit.bor(flags, NTF_PROXY) end
  if spec.master then flags = bit.bor(flags, NTF_MASTER) end

  local m = U.msg('ndmsg', cmd == 'del' and RTM_DELNEIGH or RTM_NEWNEIGH, U.flags[cmd])
  m.family = fam
  m.ifindex = idx
  local a = m.attrs

  if fam == AF_BRIDGE then
    -- As `bridge fdb` and pyroute2's fdb(): an FDB entry is always NOARP,
    -- permanent unless said reachable, and goes to the port itself (self)
    -- unless master asks the bridge above it to hold it.
    state = bit.bor(state or 0, NUD_NOARP)
    if not bit.btest(state, NUD_PERMANENT + NUD_REACHABLE) then state = state + NUD_PERMANENT end
    if not bit.btest(flags, NTF_SELF + NTF_MASTER) then flags = flags + NTF_SELF end
    if not spec.lladdr then error('ip.neigh ' .. cmd .. ': a bridge FDB entry needs lladdr', 3) end
    a[#a + 1] = {'NDA_LLADDR', spec.lladdr}
    -- dst, port and vni address the remote end of a VXLAN entry.
    if spec.dst then a[#a + 1] = {'NDA_DST', spec.dst} end
    if spec.vlan then a[#a + 1] = {'NDA_VLAN', spec.vlan} end
    if spec.port then a[#a + 1] = {'NDA_PORT', spec.port} end
    if spec.vni then a[#a + 1] = {'NDA_VNI', spec.vni} end
  else
    -- An ARP or NDP entry: permanent unless said otherwise, as in iproute2.
    if not spec.dst then error('ip.neigh ' .. cmd .. ': give dst', 3) end
    a[#a + 1] = {'NDA_DST', spec.dst}
    if spec.lladdr then a[#a + 1] = {'NDA_LLADDR', spec.lladdr} end
    if spec.vlan or spec.port or spec.vni then
      error('ip.neigh: vlan, port and vni are for bridge FDB entries (family AF_BRIDGE)', 3)
    end
  end
  m.state = state or NUD_PERMANENT
  m.flags = flags
  return m
end

-- query builds the RTM_GETNEIGH message that asks for one entry: the
-- kernel wants the link and NDA_DST (NTF_PROXY for a proxy entry), or for
-- FDB entries NDA_LLADDR with the port or the bridge (NDA_MASTER).
local function query(self, spec)
  local fam = family(spec)
  local m = U.msg('ndmsg', RTM_GETNEIGH, U.flags.get)
  m.family = fam
  m.ifindex = ifindex(self, spec, 'ip.neigh') or 0
  local flags = flag_bits(spec.flags, 'ip.neigh') or 0
  if spec.proxy then flags = bit.bor(flags, NTF_PROXY) end
  if spec.master then flags = bit.bor(flags, NTF_MASTER) end
  if fam == AF_BRIDGE then
    if not spec.lladdr then error('ip.neigh get: a bridge FDB entry needs lladdr', 3) end
    m.attrs[#m.attrs + 1] = {'NDA_LLADDR', spec.lladdr}
    if spec.vlan then m.attrs[#m.attrs + 1] = {'NDA_VLAN', spec.vlan} end
    -- master='br0' names the bridge instead of a port.
    if spec.master and spec.master ~= true then
      m.attrs[#m.attrs + 1] = {'NDA_MASTER', U.ifindex(self, spec.master, 'ip.neigh: master')}
      flags = bit.band(flags, bit.bnot(NTF_MASTER))
    end
  else
    if not spec.dst then error('ip.neigh get: give dst', 3) end
    m.attrs[#m.attrs + 1] = {'NDA_DST', spec.dst}
  end
  m.flags = flags
  return m
end

-- flush(filter): delete the ARP and NDP entries matching filter (as
-- ip.neighs takes it), returning those deleted; with dry, the RTM_DELNEIGH
-- messages it would send.
local function flush(self, spec)
  if not (spec.index or spec.ifindex or spec.ifname or spec.dev) then
    error('ip.neigh flush: give index or ifname', 2)
  end
  if spec.family == AF_BRIDGE then
    error('ip.neigh flush: FDB entries are not flushed here; delete them with ip.fdb(\'del\', …)', 2)
  end
  local filter = {}
  for k, v in pairs(spec) do if k ~= 'dry' and k ~= 'echo' then filter[k] = v end end
  local out = {}
  for _, n in ipairs(IP.neighs(self, filter)) do
    local m = U.msg('ndmsg', RTM_DELNEIGH, U.flags.del)
    m.family, m.ifindex, m.flags = n.family, n.ifindex, bit.band(n.flags, NTF_PROXY)
    m.attrs = {{'NDA_DST', n:get('NDA_DST')}}
    if spec.dry then
      out[#out + 1] = m
    else
      -- An entry may go away by itself meanwhile (garbage collection).
      local ok, e = pcall(U.socket(self).request, U.socket(self), m)
      if ok then
        out[#out + 1] = n
      elseif type(e) ~= 'table' or e.code ~= 'ENOENT' then
        error(e, 0)
      end
    end
  end
  return out
end

-- ip.neigh(cmd, spec): add, replace, del and get one entry; flush the ARP
-- and NDP entries matching a filter; dump = ip.neighs.
function IP.neigh(self, cmd, spec)
  U.verb('ip.neigh', cmd, verbs)
  spec = spec or {}
  if cmd == 'dump' then return IP.neighs(self, spec) end
  if cmd == 'flush' then
    local deleted = flush(self, spec)   -- not a tail call: errors name this frame
    return deleted
  end
  check('ip.neigh', spec, keys)
  if cmd == 'get' then
    local m = query(self, spec)
    if spec.dry then return m end
    return U.socket(self):request(m, {timeout = spec.timeout})[1]
  end
  local m = entry(self, cmd, spec)
  if not spec.echo or spec.dry or cmd == 'del' then return U.send(self, m, spec) end
  if self._batch then error('ip.neigh: echo is not available inside ip.batch', 0) end
  -- The kernel's neighbour code ignores NLM_F_ECHO (its notifications do
  -- not carry the request), so echo reads the entry back instead.
  U.send(self, m)
  if m.family == AF_BRIDGE then
    local found = IP.neighs(self, {family = AF_BRIDGE, index = m.ifindex, lladdr = spec.lladdr,
      vlan = spec.vlan, dst = spec.dst})
    return found[1]
  end
  return U.socket(self):request(query(self, spec), {timeout = spec.timeout})[1]
end

-- fdb(cmd, spec) is neigh with family AF_BRIDGE, as pyroute2's fdb().
function IP.fdb(self, cmd, spec)
  spec = spec or {}
  local s = {family = AF_BRIDGE}
  for k, v in pairs(spec) do s[k] = v end
  if cmd == 'dump' then
    return IP.neighs(self, s)
  end
  return IP.neigh(self, cmd, s)
end

-- Filter keys: the ndmsg fields, NDA_* short names, ifname/dev, proxy.
local filter_keys = U.keys({'family', 'ifindex', 'index', 'ifname', 'dev', 'state', 'nud', 'flags',
  'ndm_type', 'dst', 'lladdr', 'probes', 'vlan', 'port', 'vni', 'master', 'proxy', 'protocol',
  'nh_id'})

local match = U.matcher('NDA_', {
  lladdr = function(m, want) return (m:get('NDA_LLADDR') or ''):lower() == tostring(want):lower() end,
  -- state matches when every state bit asked for is set ('permanent' finds
  -- FDB entries, which are NOARP|PERMANENT); 'none' wants no bit at all.
  state = function(m, want)
    local s = state_bits(want, 'ip.neighs')
    if s == 0 then return m.state == 0 end
    return bit.band(m.state, s) == s
  end,
  flags = function(m, want)
    local f = flag_bits(want, 'ip.neighs')
    return bit.band(m.flags, f) == f
  end,
})

-- neighs(filter): every ARP and NDP entry (family AF_BRIDGE for the FDB,
-- proxy=true for proxy entries), or those matching filter: a table of
-- fields and attribute short names ({dst='10.0.0.5'}, {ifname='v0',
-- state='permanent'}), or a function of the message. The kernel filters by
-- family, link (NDA_IFINDEX; the port for FDB entries), master bridge
-- (NDA_MASTER) and proxy; Lua filters the rest.
function IP.neighs(self, filter)
  local m = U.msg('ndmsg', RTM_GETNEIGH, U.flags.dump)
  local dry = false
  if type(filter) == 'table' then
    check('ip.neighs', filter, filter_keys)
    local f
    f, dry = U.copy_filter(filter)
    if f.nud then f.state, f.nud = f.nud, nil end
    -- What the kernel filters by goes into the request and out of f.
    local idx = ifindex(self, f, 'ip.neighs')
    f.ifindex, f.ifname, f.dev, f.index = nil, nil, nil, nil
    m.family = f.family or AF_UNSPEC
    if idx then
      -- FDB dumps take the port in the header (as `bridge fdb show dev`);
      -- neighbour dumps refuse that and take NDA_IFINDEX.
      if m.family == AF_BRIDGE then
        m.ifindex = idx
      else
        m.attrs[#m.attrs + 1] = {'NDA_IFINDEX', idx}
      end
    end
    if f.master then
      m.attrs[#m.attrs + 1] = {'NDA_MASTER', U.ifindex(self, f.master, 'ip.neighs: master')}
    end
    -- Proxy entries live in their own table, dumped when NTF_PROXY is set.
    if f.proxy then m.flags = NTF_PROXY end
    f.master, f.proxy = nil, nil
    filter = next(f) and f or nil
  elseif filter ~= nil and type(filter) ~= 'function' then
    error('ip.neighs: expected a filter table or function, got ' .. type(filter), 2)
  end
  if dry then return m end
  return U.dump(self, m, filter, match)
end
