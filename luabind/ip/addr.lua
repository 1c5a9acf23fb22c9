-- Addresses: ip.addr(cmd, spec), ip.addrs(filter).
--
-- An address is one RTM_NEWADDR message: struct ifaddrmsg (family,
-- prefixlen, flags, scope, index) and IFA_* attributes. IFA_LOCAL is the
-- address of this host; IFA_ADDRESS is the prefix address, which is the same
-- except on point-to-point links, where it is the peer.
local IP, U = ...

-- Keys of ip.addr: index, or ifname/dev looked up.
local keys = U.keys({'index', 'ifname', 'dev', 'address', 'prefixlen', 'local', 'broadcast',
  'label', 'scope', 'flags', 'valid_lft', 'preferred_lft', 'family'})

-- Names people reach for that are spelled differently here.
local aliases = {mask = 'prefixlen', netmask = 'prefixlen', peer = 'address', brd = 'broadcast',
  valid = 'valid_lft', preferred = 'preferred_lft', ifindex = 'index'}

local scopes = {universe = RT_SCOPE_UNIVERSE, global = RT_SCOPE_UNIVERSE, site = RT_SCOPE_SITE,
  link = RT_SCOPE_LINK, host = RT_SCOPE_HOST, nowhere = RT_SCOPE_NOWHERE}

-- The IFA_F_* flags a user may set or filter on, by short name.
local flag_names = {'secondary', 'temporary', 'nodad', 'optimistic', 'dadfailed', 'homeaddress',
  'deprecated', 'tentative', 'permanent', 'managetempaddr', 'noprefixroute', 'mcautojoin',
  'stable_privacy'}

-- The kernel's "no expiry" lifetime.
local FOREVER = 0xffffffff

local verbs = U.keys({'add', 'del', 'replace', 'flush', 'get', 'dump'})

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

-- scope turns 'link' or RT_SCOPE_LINK into the number.
local function scope(v, fname)
  if v == nil or type(v) == 'number' then return v end
  local n = scopes[v] or (type(v) == 'string' and _G['RT_SCOPE_' .. v:upper():gsub('^RT_SCOPE_', '')])
  if not n then
    error(("%s: unknown scope '%s' (universe, site, link, host, nowhere or a number)"):format(fname, tostring(v)), 4)
  end
  return n
end

-- flags turns 'nodad', 'IFA_F_NODAD', 'nodad|noprefixroute', a list of
-- those, or a number into the IFA_F_* bits.
local function flags(v, fname)
  if v == nil or type(v) == 'number' then return v end
  local list = v
  if type(v) == 'string' then
    list = {}
    for name in v:gmatch('[^|%s]+') do list[#list + 1] = name end
  end
  local bits = 0
  for _, name in ipairs(list) do
    local n = name
    if type(name) == 'string' then
      local short = name:lower():gsub('^ifa_f_', '')
      n = _G['IFA_F_' .. short:upper()]
      if not n then
        local hint = nl.closest(short, flag_names)
        error(("%s: unknown flag '%s'%s"):format(fname, name,
          hint and (" (did you mean '" .. hint .. "'?)") or ''), 4)
      end
    end
    bits = bit.bor(bits, n)
  end
  return bits
end

-- lifetime reads seconds or 'forever'.
local function lifetime(v, what)
  if v == nil or v == 'forever' then return FOREVER end
  if type(v) ~= 'number' or v < 0 then
    error(what .. ": expected seconds or 'forever', got " .. tostring(v), 4)
  end
  return v
end

-- ipv4_broadcast computes the broadcast address of addr/len as iproute2's
-- `brd +` does: the prefix with every host bit set (nil for /31 and /32,
-- which have no broadcast address).
local function ipv4_broadcast(addr, len)
  if len > 30 then return nil end
  local o = {addr:match('^(%d+)%.(%d+)%.(%d+)%.(%d+)$')}
  local n = ((tonumber(o[1]) * 256 + tonumber(o[2])) * 256 + tonumber(o[3])) * 256 + tonumber(o[4])
  local host = 2 ^ (32 - len)
  n = n - n % host + host - 1
  return ('%d.%d.%d.%d'):format(math.floor(n / 2^24), math.floor(n / 2^16) % 256,
    math.floor(n / 2^8) % 256, n % 256)
end

-- index reads the link of a spec: index, or ifname/dev looked up.
local function index(self, spec, fname)
  if spec.index then return U.ifindex(self, spec.index, fname) end
  local name = spec.ifname or spec.dev
  if name then return U.ifindex(self, name, fname) end
  return nil
end

-- address builds the RTM_NEWADDR or RTM_DELADDR message for add, replace
-- and del, attributes in the order iproute2 sends them.
local function address(self, cmd, spec)
  if not spec.address then error('ip.addr ' .. cmd .. ': give address', 3) end
  local idx = index(self, spec, 'ip.addr')
  if not idx then error('ip.addr ' .. cmd .. ': give index (or ifname)', 3) end

  -- '10.0.0.1/24' carries the prefix length; prefixlen may say it instead.
  local addr, len, family = U.prefix(spec.address, 'ip.addr: address')
  local given = spec.address:find('/', 1, true) ~= nil
  if spec.prefixlen then
    if given and spec.prefixlen ~= len then
      error(("ip.addr: address '%s' and prefixlen %d disagree"):format(spec.address, spec.prefixlen), 3)
    end
    len, given = spec.prefixlen, true
  end
  family = spec.family or family

  local m = U.msg('ifaddrmsg', cmd == 'del' and RTM_DELADDR or RTM_NEWADDR, U.flags[cmd])
  m.family = family
  m.prefixlen = len
  m.scope = scope(spec.scope, 'ip.addr') or 0
  m.index = idx
  local a = m.attrs

  -- IFA_LOCAL is this host's address; without 'local' it is the address.
  a[#a + 1] = {'IFA_LOCAL', spec['local'] or addr}
  if spec.label then a[#a + 1] = {'IFA_LABEL', spec.label} end

  -- ifa_flags has 8 bits; larger flag sets go whole into IFA_FLAGS, which
  -- the kernel then reads instead.
  local f = flags(spec.flags, 'ip.addr')
  if f and f > 0xff then
    a[#a + 1] = {'IFA_FLAGS', f}
  elseif f then
    m.flags = f
  end

  -- IFA_ADDRESS is the prefix (or the peer, when local differs). To delete
  -- an IPv4 address given without a length, leave it out: the kernel then
  -- matches on IFA_LOCAL alone, whatever the prefix length.
  if not (cmd == 'del' and family == AF_INET and not given) then
    a[#a + 1] = {'IFA_ADDRESS', addr}
  end

  if spec.broadcast and cmd ~= 'del' then
    if family ~= AF_INET then error('ip.addr: broadcast is for IPv4 addresses', 3) end
    -- true asks for the usual one: every host bit set.
    local brd = spec.broadcast
    if brd == true then brd = ipv4_broadcast(spec['local'] or addr, len) end
    if brd then a[#a + 1] = {'IFA_BROADCAST', brd} end
  end

  -- Lifetimes in seconds. A missing valid_lft means forever; a missing
  -- preferred_lft follows valid_lft, since the kernel refuses an address
  -- preferred for longer than it is valid.
  if spec.valid_lft ~= nil or spec.preferred_lft ~= nil then
    local valid = lifetime(spec.valid_lft, 'ip.addr: valid_lft')
    local preferred = valid
    if spec.preferred_lft ~= nil then preferred = lifetime(spec.preferred_lft, 'ip.addr: preferred_lft') end
    a[#a + 1] = {'IFA_CACHEINFO', {ifa_preferred = preferred, ifa_valid = valid, cstamp = 0, tstamp = 0}}
  end
  return m
end

-- deleter builds the RTM_DELADDR message that removes a dumped address.
local function deleter(addr)
  local m = U.msg('ifaddrmsg', RTM_DELADDR, U.flags.del)
  m.family, m.prefixlen, m.scope, m.index = addr.family, addr.prefixlen, addr.scope, addr.index
  local loc, pfx = addr:get('IFA_LOCAL'), addr:get('IFA_ADDRESS')
  if loc then m.attrs[#m.attrs + 1] = {'IFA_LOCAL', loc} end
  if pfx then m.attrs[#m.attrs + 1] = {'IFA_ADDRESS', pfx} end
  return m
end

-- ip.addr(cmd, spec): add, replace and del one address; flush every address
-- matching a filter; get the first address matching one; dump = ip.addrs.
function IP.addr(self, cmd, spec)
  U.verb('ip.addr', cmd, verbs)
  spec = spec or {}
  if cmd == 'dump' then return IP.addrs(self, spec) end

  if cmd == 'add' or cmd == 'replace' or cmd == 'del' then
    check('ip.addr', spec, keys)
    return U.send(self, address(self, cmd, spec), spec)

  elseif cmd == 'flush' then
    -- Flushing everything in a namespace takes its loopback address too:
    -- ask for a filter, as `ip addr flush` asks for a device.
    if type(spec) == 'table' and not (spec.index or spec.ifname or spec.dev or spec.label) then
      error('ip.addr flush: give index, ifname or label (and optionally family, address, scope…)', 2)
    end
    -- The dump happens even with dry: it says which messages would go.
    local filter = {}
    for k, v in pairs(spec) do if k ~= 'dry' and k ~= 'echo' then filter[k] = v end end
    local victims = IP.addrs(self, filter)
    local out = {}
    for _, addr in ipairs(victims) do
      local m = deleter(addr)
      if spec.dry then
        out[#out + 1] = m
      else
        -- Deleting a primary IPv4 address also deletes its secondaries
        -- (unless promote_secondaries is set), so some may be gone already.
        local ok, e = pcall(U.socket(self).request, U.socket(self), m)
        if not ok and (type(e) ~= 'table' or e.code ~= 'EADDRNOTAVAIL') then error(e, 0) end
        out[#out + 1] = addr
      end
    end
    return out

  elseif cmd == 'get' then
    -- IPv4 has no RTM_GETADDR for one address, so get is a filtered dump:
    -- the first address matching spec, or nil.
    if spec.dry then return IP.addrs(self, spec) end
    return IP.addrs(self, spec)[1]
  end
end

-- Filter keys: the ifaddrmsg fields, IFA_* short names, and ifname/dev.
local filter_keys = U.keys({'family', 'prefixlen', 'flags', 'scope', 'index', 'ifname', 'dev',
  'address', 'local', 'label', 'broadcast', 'anycast', 'cacheinfo', 'multicast', 'rt_priority',
  'proto'})

-- Bits in IFA_FLAGS when present (it holds all of them), else ifa_flags.
local function all_flags(m)
  return m:get('IFA_FLAGS') or m.flags
end

local match = U.matcher('IFA_', {
  -- address matches either attribute, so a peer address is found too;
  -- '10.0.0.1/24' also asks for that prefix length.
  address = function(m, want)
    want = tostring(want)
    local a, len = want:match('^([^/]+)/(%d+)$')
    if len and tonumber(len) ~= m.prefixlen then return false end
    a = a or want
    return m:get('IFA_ADDRESS') == a or m:get('IFA_LOCAL') == a
  end,
  scope = function(m, want) return m.scope == scope(want, 'ip.addrs') end,
  -- flags matches when every flag asked for is set.
  flags = function(m, want)
    local f = flags(want, 'ip.addrs')
    return bit.band(all_flags(m), f) == f
  end,
})

-- addrs(filter): every address, or those matching filter: a table of
-- fields and attribute short names ({index=2, family=AF_INET},
-- {address='10.0.0.1'}, {label='v0:1'}), or a function of the message.
-- The kernel filters by index and family; Lua filters the rest.
function IP.addrs(self, filter)
  local m = U.msg('ifaddrmsg', RTM_GETADDR, U.flags.dump)
  local dry = false
  if type(filter) == 'table' then
    check('ip.addrs', filter, filter_keys)
    local f
    f, dry = U.copy_filter(filter)
    -- ifname and dev become the index the kernel filters by.
    local idx = index(self, f, 'ip.addrs')
    f.ifname, f.dev, f.index = nil, nil, idx
    -- A strict dump request filters in the kernel: only these two fields.
    m.index = idx or 0
    m.family = f.family or AF_UNSPEC
    filter = next(f) and f or nil
  elseif filter ~= nil and type(filter) ~= 'function' then
    error('ip.addrs: expected a filter table or function, got ' .. type(filter), 2)
  end
  if dry then return m end
  return U.dump(self, m, filter, match)
end
