-- Links: ip.link(cmd, spec), ip.links(filter), ip.link_lookup(name).
local IP, U = ...

-- Keys that set a property of a link, on add and on set.
local props = U.keys({'index', 'ifname', 'state', 'mtu', 'address', 'broadcast', 'master',
  'txqlen', 'netns', 'alias', 'link', 'group'})

-- Kind-specific keys and how each becomes an attribute of IFLA_INFO_DATA.
local kinds = {}
kinds.veth = {peer = true}
kinds.bridge = {
  stp_state = 'IFLA_BR_STP_STATE', vlan_filtering = 'IFLA_BR_VLAN_FILTERING',
  forward_delay = 'IFLA_BR_FORWARD_DELAY', hello_time = 'IFLA_BR_HELLO_TIME',
  max_age = 'IFLA_BR_MAX_AGE', ageing_time = 'IFLA_BR_AGEING_TIME',
  priority = 'IFLA_BR_PRIORITY', mcast_snooping = 'IFLA_BR_MCAST_SNOOPING',
  vlan_protocol = 'IFLA_BR_VLAN_PROTOCOL', vlan_default_pvid = 'IFLA_BR_VLAN_DEFAULT_PVID',
}
local macvlan_modes = {private = MACVLAN_MODE_PRIVATE, vepa = MACVLAN_MODE_VEPA,
  bridge = MACVLAN_MODE_BRIDGE, passthru = MACVLAN_MODE_PASSTHRU, source = MACVLAN_MODE_SOURCE}
kinds.macvlan = {mode = 'IFLA_MACVLAN_MODE'}
kinds.macvtap = kinds.macvlan
kinds.vxlan = {id = 'IFLA_VXLAN_ID', vxlan_id = 'IFLA_VXLAN_ID', port = 'IFLA_VXLAN_PORT',
  group = true, remote = true, ['local'] = true, dev = 'IFLA_VXLAN_LINK',
  ttl = 'IFLA_VXLAN_TTL', tos = 'IFLA_VXLAN_TOS', learning = 'IFLA_VXLAN_LEARNING',
  ageing = 'IFLA_VXLAN_AGEING', limit = 'IFLA_VXLAN_LIMIT'}
kinds.tun = {mode = true, owner = true, group = true, multi_queue = true, pi = true}
kinds.tap = kinds.tun
kinds.ifb = {}

local function state_flags(m, state)
  if state == nil then return end
  if state ~= 'up' and state ~= 'down' then
    error("ip.link: state must be 'up' or 'down', got '" .. tostring(state) .. "'", 4)
  end
  m.flags = state == 'up' and IFF_UP or 0
  m.change = IFF_UP
end

-- common_attrs appends the attributes of props present in spec; what names
-- spec in errors ('ip.link', 'ip.link: peer').
local function common_attrs(self, m, spec, rename, what)
  local a = m.attrs
  if spec.ifname and rename then a[#a + 1] = {'IFLA_IFNAME', spec.ifname} end
  if spec.mtu then a[#a + 1] = {'IFLA_MTU', spec.mtu} end
  if spec.address then a[#a + 1] = {'IFLA_ADDRESS', spec.address} end
  if spec.broadcast then a[#a + 1] = {'IFLA_BROADCAST', spec.broadcast} end
  if spec.txqlen then a[#a + 1] = {'IFLA_TXQLEN', spec.txqlen} end
  if spec.alias then a[#a + 1] = {'IFLA_IFALIAS', spec.alias} end
  if spec.group then a[#a + 1] = {'IFLA_GROUP', spec.group} end
  if spec.master ~= nil then
    local idx = 0   -- false, 0 or 'none' detach from the master
    if spec.master and spec.master ~= 0 and spec.master ~= 'none' then
      idx = U.ifindex(self, spec.master, 'ip.link: master')
    end
    a[#a + 1] = {'IFLA_MASTER', idx}
  end
  if spec.link then a[#a + 1] = {'IFLA_LINK', U.ifindex(self, spec.link, 'ip.link: link')} end
  if spec.netns ~= nil then
    local ns = U.netns(what and what .. ' netns' or 'ip.link: netns', spec.netns)
    if type(spec.netns) == 'number' then
      a[#a + 1] = {'IFLA_NET_NS_PID', spec.netns}
    else
      a[#a + 1] = {'IFLA_NET_NS_FD', nl.netns.fd(ns)}
    end
  end
end

local function kind_data(self, spec)
  local kind = spec.kind
  local data = {}
  if kind == 'veth' and spec.peer then
    local peer = spec.peer
    if type(peer) == 'string' then peer = {ifname = peer} end
    U.check('ip.link: peer', peer, U.keys({'ifname', 'netns', 'address', 'mtu', 'txqlen'}))
    local pm = {index = 0, attrs = {}}
    pm.attrs[#pm.attrs + 1] = {'IFLA_IFNAME', peer.ifname}
    common_attrs(self, pm, {mtu = peer.mtu, address = peer.address, txqlen = peer.txqlen, netns = peer.netns}, false, 'ip.link: peer')
    data[#data + 1] = {'VETH_INFO_PEER', pm}
  elseif kind == 'macvlan' or kind == 'macvtap' then
    if spec.mode then
      local mode = macvlan_modes[spec.mode] or spec.mode
      if type(mode) ~= 'number' then
        error("ip.link: macvlan mode must be one of private, vepa, bridge, passthru, source; got '" .. tostring(spec.mode) .. "'", 4)
      end
      data[#data + 1] = {'IFLA_MACVLAN_MODE', mode}
    end
  elseif kind == 'vxlan' then
    local id = spec.id or spec.vxlan_id
    if id then data[#data + 1] = {'IFLA_VXLAN_ID', id} end
    local peer = spec.group or spec.remote
    if peer then
      data[#data + 1] = {peer:find(':', 1, true) and 'IFLA_VXLAN_GROUP6' or 'IFLA_VXLAN_GROUP', peer}
    end
    if spec['local'] then
      data[#data + 1] = {spec['local']:find(':', 1, true) and 'IFLA_VXLAN_LOCAL6' or 'IFLA_VXLAN_LOCAL', spec['local']}
    end
    if spec.dev then data[#data + 1] = {'IFLA_VXLAN_LINK', U.ifindex(self, spec.dev, 'ip.link: dev')} end
    for _, k in ipairs({'port', 'ttl', 'tos', 'learning', 'ageing', 'limit'}) do
      if spec[k] ~= nil then
        local v = spec[k]
        if type(v) == 'boolean' then v = v and 1 or 0 end
        data[#data + 1] = {kinds.vxlan[k], v}
      end
    end
  elseif kinds[kind] then
    local names = {}
    for k in pairs(kinds[kind]) do names[#names + 1] = k end
    table.sort(names)   -- a stable attribute order
    for _, k in ipairs(names) do
      local attr = kinds[kind][k]
      if type(attr) == 'string' and spec[k] ~= nil then
        local v = spec[k]
        if type(v) == 'boolean' then v = v and 1 or 0 end
        data[#data + 1] = {attr, v}
      end
    end
  end
  if spec.data then   -- raw IFLA_INFO_DATA pairs for anything else
    for _, p in ipairs(spec.data) do data[#data + 1] = p end
  end
  return data
end

local function valid_keys(kind)
  local v = U.keys({'kind', 'data'}, props)
  if kind and kinds[kind] then for k in pairs(kinds[kind]) do v[k] = true end end
  return v
end

local verbs = U.keys({'add', 'set', 'del', 'get', 'dump', 'replace'})

-- which returns the index a spec names: index, or ifname looked up.
local function which(self, spec, fname)
  if spec.index then return spec.index end
  if spec.ifname then return U.ifindex(self, spec.ifname, fname) end
  error(fname .. ': give index or ifname', 4)
end

function IP.link(self, cmd, spec)
  U.verb('ip.link', cmd, verbs)
  spec = spec or {}
  if cmd == 'dump' then return IP.links(self, spec) end
  U.check('ip.link', spec, valid_keys(spec.kind))
  if cmd == 'add' or cmd == 'replace' then
    if not spec.ifname then error('ip.link: add needs ifname', 2) end
    if not spec.kind then error('ip.link: add needs kind (veth, bridge, macvlan, macvtap, vxlan, tun, tap, ifb, …)', 2) end
    if spec.kind == 'tun' or spec.kind == 'tap' then
      -- The kernel creates tun/tap devices through /dev/net/tun only.
      if spec.dry then error('ip.link: tun/tap devices are made with ioctls, not a message; dry has nothing to show', 2) end
      local mode = spec.mode or spec.kind
      nl.tuntap(spec.ifname, {mode = mode, owner = spec.owner, group = spec.group,
        multi_queue = spec.multi_queue, pi = spec.pi, netns = self._netns})
      local rest = {}
      for _, k in ipairs({'state', 'mtu', 'address', 'master', 'txqlen', 'alias', 'netns'}) do rest[k] = spec[k] end
      if next(rest) then rest.ifname = spec.ifname; IP.link(self, 'set', rest) end
      return {}
    end
    local m = U.msg('ifinfomsg', RTM_NEWLINK, U.flags[cmd])
    state_flags(m, spec.state)
    m.attrs = {}
    if spec.link then m.attrs[1] = {'IFLA_LINK', U.ifindex(self, spec.link, 'ip.link: link')} end
    local s2 = {}
    for k, v in pairs(spec) do if k ~= 'link' then s2[k] = v end end
    common_attrs(self, m, s2, true)
    local info = {{'IFLA_INFO_KIND', spec.kind}}
    local data = kind_data(self, spec)
    if #data > 0 then info[2] = {'IFLA_INFO_DATA', data} end
    m.attrs[#m.attrs + 1] = {'IFLA_LINKINFO', info}
    return U.send(self, m, spec)
  elseif cmd == 'set' then
    local m = U.msg('ifinfomsg', RTM_NEWLINK, U.flags.set)
    m.index = which(self, {index = spec.index, ifname = (not spec.index) and spec.ifname or nil}, 'ip.link set')
    state_flags(m, spec.state)
    m.attrs = {}
    -- With an index, ifname renames the link.
    common_attrs(self, m, spec, spec.index ~= nil)
    if spec.kind then
      local data = kind_data(self, spec)
      local info = {{'IFLA_INFO_KIND', spec.kind}}
      if #data > 0 then info[2] = {'IFLA_INFO_DATA', data} end
      m.attrs[#m.attrs + 1] = {'IFLA_LINKINFO', info}
    end
    return U.send(self, m, spec)
  elseif cmd == 'del' then
    local m = U.msg('ifinfomsg', RTM_DELLINK, U.flags.del)
    m.index = which(self, spec, 'ip.link del')
    return U.send(self, m, spec)
  elseif cmd == 'get' then
    local m = U.msg('ifinfomsg', RTM_GETLINK, U.flags.get)
    if spec.index then m.index = spec.index
    elseif spec.ifname then m.attrs = {{'IFLA_IFNAME', spec.ifname}}
    else error('ip.link get: give index or ifname', 2) end
    if spec.dry then return m end
    return U.socket(self):request(m, {timeout = spec.timeout})[1]
  end
end

local match = U.matcher('IFLA_', {
  kind = function(m, want) return m:get('IFLA_LINKINFO', 'IFLA_INFO_KIND') == want end,
  state = function(m, want) return (bit.btest(m.flags, IFF_UP) and 'up' or 'down') == want end,
  master = function(m, want) return m:get('IFLA_MASTER') == want end,
})

-- links(filter): every link, or those matching filter (a table of fields and
-- attribute short names, {ifname='v0'} or {kind='veth'}, or a function).
local link_filter_keys
function IP.links(self, filter)
  local m = U.msg('ifinfomsg', RTM_GETLINK, U.flags.dump)
  if type(filter) == 'table' then
    link_filter_keys = link_filter_keys or U.filter_keys('ifinfomsg', 'IFLA_', {'kind', 'state', 'master'})
    U.check('ip.links', filter, link_filter_keys)
    filter = U.copy_filter(filter)
    if type(filter.master) == 'string' then
      filter.master = U.ifindex(self, filter.master, 'ip.links: master')
    end
    -- Let the kernel filter by master or kind where it can.
    if filter.master then m.attrs[#m.attrs + 1] = {'IFLA_MASTER', filter.master} end
    if filter.kind then m.attrs[#m.attrs + 1] = {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', filter.kind}}} end
  end
  return U.dump(self, m, filter, match)
end

-- link_lookup(name): the index of the link called name, or nil.
function IP.link_lookup(self, name)
  -- No link has a name longer than IFNAMSIZ-1 (15) bytes; the kernel
  -- would refuse the request (ERANGE) rather than say there is none.
  if type(name) == 'string' and #name > 15 then return nil end
  local m = U.msg('ifinfomsg', RTM_GETLINK, U.flags.get)
  m.attrs = {{'IFLA_IFNAME', name}}
  local ok, replies = pcall(U.socket(self).request, U.socket(self), m)
  if not ok then
    if type(replies) == 'table' and replies.code == 'ENODEV' then return nil end
    error(replies, 0)
  end
  return replies[1] and replies[1].index
end
