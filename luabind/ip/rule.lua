-- Policy routing rules: ip.rule(cmd, spec), ip.rules(filter).
--
-- A rule is one fib_rule_hdr: the fixed header holds family, dst_len,
-- src_len, tos, table (when below 256) and action; the attributes hold the
-- rest:
--
--   FRA_SRC, FRA_DST           the from / to prefix addresses
--   FRA_TABLE                  table id (only when 256 or more)
--   FRA_PRIORITY               the rule's priority (preference)
--   FRA_FWMARK, FRA_FWMASK     firewall mark to match, and its mask
--   FRA_IIFNAME, FRA_OIFNAME   input / output interface names
--   FRA_GOTO                   priority to jump to (action goto)
--   FRA_SUPPRESS_PREFIXLEN     ignore lookup results this short or shorter
--   FRA_PROTOCOL               who installed the rule (RTPROT_*)
--
-- add and del build the same message as `ip rule add|del …` (iproute2).
local IP, U = ...

local valid = U.keys({'from', 'src', 'src_len', 'to', 'dst', 'dst_len', 'table', 'priority',
  'fwmark', 'fwmask', 'iif', 'iifname', 'oif', 'oifname', 'action', 'goto', 'family', 'tos',
  'suppress_prefixlength', 'suppress_prefixlen', 'protocol'})

local verbs = U.keys({'add', 'del', 'dump'})

local families = {inet = AF_INET, inet6 = AF_INET6, ipv4 = AF_INET, ipv6 = AF_INET6}

-- Actions by name: lookup (the default) looks the packet up in table.
local actions = {to_tbl = FR_ACT_TO_TBL, lookup = FR_ACT_TO_TBL, table = FR_ACT_TO_TBL,
  ['goto'] = FR_ACT_GOTO, nop = FR_ACT_NOP, blackhole = FR_ACT_BLACKHOLE,
  unreachable = FR_ACT_UNREACHABLE, prohibit = FR_ACT_PROHIBIT}
local action_names = {'blackhole', 'goto', 'lookup', 'nop', 'prohibit', 'to_tbl', 'unreachable'}

local tables = {unspec = RT_TABLE_UNSPEC, default = RT_TABLE_DEFAULT, main = RT_TABLE_MAIN,
  ['local'] = RT_TABLE_LOCAL}

local protocols = {'unspec', 'redirect', 'kernel', 'boot', 'static', 'gated', 'ra', 'mrt',
  'zebra', 'bird', 'dnrouted', 'xorp', 'ntk', 'dhcp', 'mrouted', 'keepalived', 'babel',
  'openr', 'bgp', 'isis', 'ospf', 'rip', 'eigrp'}

-- bad raises an argument error; rethrow in ip.lua puts it at the caller's line.
local function bad(fmt, ...) error(fmt:format(...), 0) end

local function action_of(v)
  if type(v) == 'number' then return v end
  if type(v) == 'string' then
    local a = actions[v:lower()] or rtnl[v:upper()]
    if type(a) == 'number' then return a end
    local hint = nl.closest(v, action_names)
    if hint then bad("ip.rule: unknown action '%s' (did you mean '%s'?)", v, hint) end
  end
  bad("ip.rule: action must be a number or one of %s, got '%s'",
    table.concat(action_names, ', '), tostring(v))
end

local function table_of(v)
  if type(v) == 'number' then return v end
  local t = type(v) == 'string' and (tonumber(v) or tables[v])
  if not t then bad("ip.rule: table must be a number, main, local or default, got '%s'", tostring(v)) end
  return t
end

local function family_of(v)
  if type(v) == 'number' then return v end
  local f = type(v) == 'string' and families[v]
  if not f then bad("ip.rule: family must be AF_INET, AF_INET6, 'inet' or 'inet6', got '%s'", tostring(v)) end
  return f
end

local function protocol_of(v)
  if type(v) == 'number' then return v end
  local p = type(v) == 'string' and (tonumber(v) or rtnl['RTPROT_' .. v:upper()] or rtnl[v])
  if type(p) ~= 'number' then
    local hint = type(v) == 'string' and nl.closest(v, protocols)
    if hint then bad("ip.rule: unknown protocol '%s' (did you mean '%s'?)", v, hint) end
    bad("ip.rule: protocol must be a number or a name such as static or boot, got '%s'", tostring(v))
  end
  return p
end

-- mark reads fwmark as a number, or '0x10/0xff' as mark and mask.
local function mark_of(v)
  if type(v) == 'number' then return v end
  if type(v) == 'string' then
    local m, k = v:match('^%s*([^/]+)/(.+)$')
    if m and tonumber(m) and tonumber(k) then return tonumber(m), tonumber(k) end
    if tonumber(v) then return tonumber(v) end
  end
  bad("ip.rule: fwmark must be a number or 'mark/mask', got '%s'", tostring(v))
end

-- ifname returns the name of an interface given by name or index.
local function ifname(self, v, what)
  if type(v) == 'string' then return v end
  if type(v) == 'number' then
    local l = IP.link(self, 'get', {index = v})
    return l:get('IFLA_IFNAME')
  end
  bad('ip.rule: %s must be an interface name or index, got %s', what, type(v))
end

-- prefix_of reads '10.0.0.0/24' (or an address with a separate length).
local function prefix_of(v, len, what)
  local a, l, fam = U.prefix(v, 'ip.rule: ' .. what)
  if len then l = len end
  return a, l, fam
end

function IP.rule(self, cmd, spec)
  U.verb('ip.rule', cmd, verbs)
  if cmd == 'dump' then return IP.rules(self, spec) end
  spec = U.check('ip.rule', spec, valid)
  local m = U.msg('fib_rule_hdr', cmd == 'add' and RTM_NEWRULE or RTM_DELRULE, U.flags[cmd])
  local a = m.attrs

  -- Addresses give the family; without any it is IPv4, as for `ip rule`.
  local src, dst = spec.from or spec.src, spec.to or spec.dst
  if src == 'all' then src = nil end   -- iproute2's 'from all': no FRA_SRC
  if dst == 'all' then dst = nil end
  local family
  if src then
    local addr, len, fam = prefix_of(src, spec.src_len, 'from')
    m.src_len, family = len, fam
    a[#a + 1] = {'FRA_SRC', addr}
  end
  if dst then
    local addr, len, fam = prefix_of(dst, spec.dst_len, 'to')
    m.dst_len = len
    if family and family ~= fam then bad('ip.rule: from and to are of different families') end
    family = fam
    a[#a + 1] = {'FRA_DST', addr}
  end
  if spec.family then family = family_of(spec.family) end
  m.family = family or AF_INET
  if spec.tos then m.tos = spec.tos end

  -- The action: lookup in a table unless told otherwise (goto=N implies
  -- goto). A del names the action only when given, so it matches any.
  local action = spec.action and action_of(spec.action)
  if not action and spec['goto'] then action = FR_ACT_GOTO end
  if not action and cmd == 'add' then action = FR_ACT_TO_TBL end
  m.action = action or FR_ACT_UNSPEC

  -- Tables below 256 fit the header; bigger ids go in FRA_TABLE.
  local tbl = spec.table and table_of(spec.table)
  if not tbl and cmd == 'add' and action == FR_ACT_TO_TBL then tbl = RT_TABLE_MAIN end
  if tbl and tbl < 256 then
    m.table = tbl
  elseif tbl then
    m.table = RT_TABLE_UNSPEC
    a[#a + 1] = {'FRA_TABLE', tbl}
  end

  if spec.priority then a[#a + 1] = {'FRA_PRIORITY', spec.priority} end
  if spec.fwmark then
    local mark, mask = mark_of(spec.fwmark)
    a[#a + 1] = {'FRA_FWMARK', mark}
    mask = spec.fwmask or mask
    if mask then a[#a + 1] = {'FRA_FWMASK', mask} end
  elseif spec.fwmask then
    a[#a + 1] = {'FRA_FWMASK', spec.fwmask}
  end
  local iif, oif = spec.iif or spec.iifname, spec.oif or spec.oifname
  if iif then a[#a + 1] = {'FRA_IIFNAME', ifname(self, iif, 'iif')} end
  if oif then a[#a + 1] = {'FRA_OIFNAME', ifname(self, oif, 'oif')} end
  if spec['goto'] then a[#a + 1] = {'FRA_GOTO', spec['goto']} end
  local suppress = spec.suppress_prefixlength or spec.suppress_prefixlen   -- iproute2's, pyroute2's
  if suppress then a[#a + 1] = {'FRA_SUPPRESS_PREFIXLEN', suppress} end
  if spec.protocol then a[#a + 1] = {'FRA_PROTOCOL', protocol_of(spec.protocol)} end
  return U.send(self, m, spec)
end

-- prefix_test matches FRA_SRC/FRA_DST against '10.0.0.0/24' (address and
-- length) or a bare address.
local function prefix_test(attr, lenfield)
  return function(m, want)
    local addr, len = tostring(want):match('^([^/]+)/(%d+)$')
    if addr then return m:get(attr) == addr and m[lenfield] == tonumber(len) end
    return m:get(attr) == want
  end
end

local match = U.matcher('FRA_', {
  table = function(m, want)
    return (m:get('FRA_TABLE') or m.table) == table_of(want)
  end,
  priority = function(m, want) return (m:get('FRA_PRIORITY') or 0) == want end,
  action = function(m, want) return m.action == action_of(want) end,
  family = function(m, want) return m.family == family_of(want) end,
  src = prefix_test('FRA_SRC', 'src_len'),
  from = prefix_test('FRA_SRC', 'src_len'),
  dst = prefix_test('FRA_DST', 'dst_len'),
  to = prefix_test('FRA_DST', 'dst_len'),
  iif = function(m, want) return m:get('FRA_IIFNAME') == want end,
  oif = function(m, want) return m:get('FRA_OIFNAME') == want end,
})

-- rules(filter): every rule, or those matching filter, a table such as
-- {table=100}, {priority=1000}, {src='10.0.0.0/24'}, {action='blackhole'},
-- {family=AF_INET6}, {fwmark=16}, or a function. A family in the filter is
-- asked of the kernel; the rest is matched here.
local rule_filter_keys
function IP.rules(self, filter)
  if type(filter) == 'table' then
    rule_filter_keys = rule_filter_keys or U.filter_keys('fib_rule_hdr', 'FRA_', {'src', 'dst', 'priority', 'table', 'action', 'family', 'from', 'to', 'fwmark', 'iif', 'oif'})
    U.check('ip.rules', filter, rule_filter_keys)
  end
  local m = U.msg('fib_rule_hdr', RTM_GETRULE, U.flags.dump)
  if type(filter) == 'table' and filter.family then m.family = family_of(filter.family) end
  return U.dump(self, m, filter, match)
end
