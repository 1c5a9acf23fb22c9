-- Traffic control: ip.tc(cmd, kind, spec), ip.qdiscs(filter),
-- ip.classes(filter), ip.filters(filter), ip.tc_handle(h).
--
-- Qdiscs, classes and filters are all one tcmsg:
--
--   index    the device
--   handle   the object's own handle: '1:' for a qdisc, '1:10' for a class,
--            the u32 node ('800::800') for a filter
--   parent   where it hangs: 'root', a qdisc '1:' or a class '1:1'
--   info     filters only: priority << 16 | protocol (network byte order)
--
-- and attributes TCA_KIND ('htb', 'u32', …) and TCA_OPTIONS, whose content
-- depends on the kind. The commands follow pyroute2's IPRoute.tc:
--
--   'add' 'replace' 'change' 'del'                       qdiscs
--   'add-class' 'replace-class' 'change-class' 'del-class'   classes
--   'add-filter' 'replace-filter' 'change-filter' 'del-filter' filters
--
-- and every message is the one `tc qdisc|class|filter add …` (iproute2)
-- sends, attributes in its order, rate tables included.
--
-- Units, as tc reads them:
--   rates   a number is bytes per second (the kernel's unit, as in pyroute2
--           and in `tc -j` output); a string is tc's: '256kbit', '1mbit',
--           '10mbps' (megabytes), '2gibit'; a bare '1000' is bit/s
--   sizes   a number is bytes; a string may end in b, k/kb, m/mb, g/gb, or
--           kbit/mbit/gbit
--   times   a number is microseconds; a string may end in s, ms or us
local IP, U = ...

---------------------------------------------------------------------------
-- Handles

local ETH_P = {all = 0x0003, ip = 0x0800, arp = 0x0806, ipv6 = 0x86DD,
  ['802.1q'] = 0x8100, vlan = 0x8100, ['802.1ad'] = 0x88A8, mpls_uc = 0x8847}

-- Handle words for qdiscs; filters on an ingress or clsact qdisc hang from
-- its ingress or egress hook instead.
local handle_words = {root = TC_H_ROOT, none = TC_H_UNSPEC, ingress = TC_H_INGRESS,
  clsact = TC_H_CLSACT}
local hook_words = {ingress = 0xFFFF0000 + TC_H_MIN_INGRESS,   -- ffff:fff2
  egress = 0xFFFF0000 + TC_H_MIN_EGRESS}                      -- ffff:fff3

local function bad(fmt, ...) error(fmt:format(...), 0) end

-- handle reads 'root', '1:', '1:10', ':10', '10' (hex, as tc) or a number.
local function handle(v, what, hooks)
  if type(v) == 'number' then return v end
  if type(v) ~= 'string' then bad('%s: expected a handle such as \'1:10\' or a number, got %s', what, type(v)) end
  local w = (hooks and hook_words[v]) or handle_words[v]
  if w then return w end
  local majs, mins = v:match('^(%x*):(%x*)$')
  if majs then   -- major:minor, both hex, either may be empty (0)
    local maj, min = tonumber('0' .. majs, 16), tonumber('0' .. mins, 16)
    if maj < 0x10000 and min < 0x10000 then return maj * 0x10000 + min end
  elseif v:match('^%x+$') then
    return tonumber(v, 16)
  end
  bad("%s: bad handle '%s' (use 'root', '1:', '1:10' or a number)", what, v)
end

-- u32_handle reads a u32 filter handle 'htid:hash:node' ('800::800').
local function u32_handle(v, what)
  if type(v) == 'number' then return v end
  local ht, hash, node = tostring(v):match('^(%x*):?(%x*):?(%x*)$')
  if not ht then bad("%s: bad u32 handle '%s' (use '800::800' or a number)", what, tostring(v)) end
  local function n(s) return s == '' and 0 or tonumber(s, 16) end
  return n(ht) * 0x100000 + n(hash) * 0x1000 + n(node)
end

-- tc_handle('1:10') is 0x10010; tc_handle(0x10010) is '1:10'.
function IP.tc_handle(self, v)
  if type(v) == 'number' then
    if v == TC_H_ROOT then return 'root' end
    local maj, min = math.floor(v / 0x10000), v % 0x10000
    if min == 0 then return ('%x:'):format(maj) end
    return ('%x:%x'):format(maj, min)
  end
  return handle(v, 'ip.tc_handle', true)
end

---------------------------------------------------------------------------
-- Units (tc's get_rate64, get_size, get_time)

local rate_units = {bit = 1, kibit = 1024, kbit = 1e3, mibit = 1024 ^ 2, mbit = 1e6,
  gibit = 1024 ^ 3, gbit = 1e9, tibit = 1024 ^ 4, tbit = 1e12,
  bps = 8, kibps = 8 * 1024, kbps = 8e3, mibps = 8 * 1024 ^ 2, mbps = 8e6,
  gibps = 8 * 1024 ^ 3, gbps = 8e9, tibps = 8 * 1024 ^ 4, tbps = 8e12}
local size_units = {b = 1, k = 1024, kb = 1024, m = 1024 ^ 2, mb = 1024 ^ 2,
  g = 1024 ^ 3, gb = 1024 ^ 3, kbit = 1024 / 8, mbit = 1024 ^ 2 / 8, gbit = 1024 ^ 3 / 8}
local time_units = {s = 1e6, sec = 1e6, secs = 1e6, ms = 1e3, msec = 1e3, msecs = 1e3,
  us = 1, usec = 1, usecs = 1}

-- unit reads '<number><suffix>' with a table of suffixes (case ignored).
local function unit(v, units, bare, what, example)
  if type(v) == 'number' then return v end
  local num, suffix = tostring(v):match('^%s*([%d%.]+)%s*(%a*)%s*$')
  local scale = num and (suffix == '' and bare or units[suffix:lower()])
  if not (num and tonumber(num) and scale) then
    bad("%s: cannot read '%s' (e.g. %s)", what, tostring(v), example)
  end
  return tonumber(num) * scale
end

-- rate returns bytes per second: numbers as they are, strings as tc reads
-- them (bits unless the suffix says bytes).
local function rate(v, what)
  local r
  if type(v) == 'number' then r = v else r = math.floor(unit(v, rate_units, 1, what, "'256kbit', '1mbit', '10mbps'") / 8) end
  if r <= 0 then bad('%s: must be more than 0', what) end
  return r
end
local function size(v, what) return math.floor(unit(v, size_units, 1, what, "1600, '32kb', '1m'")) end
local function time(v, what) return math.floor(unit(v, time_units, 1, what, "'50ms', '1s', 400000")) end

-- The packet scheduler clock, from /proc/net/psched as tc reads it: ticks
-- per microsecond and the timer frequency.
local psched
local function clock()
  if psched then return psched end
  psched = {tick_in_usec = 1000 / 64, hz = 1e9}   -- what every recent kernel says
  local f = io.open('/proc/net/psched')
  if f then
    local line = f:read('*l') or ''
    f:close()
    local f1, f2, f3, f4 = line:match('^(%x+) (%x+) (%x+) (%x+)')
    if f1 then
      local t2us, us2t, res, hz = tonumber(f1, 16), tonumber(f2, 16), tonumber(f3, 16), tonumber(f4, 16)
      psched.tick_in_usec = t2us / us2t * (res / 1e6)
      psched.hz = res == 1000000 and hz or 100
    end
  end
  return psched
end

-- xmittime is tc_calc_xmittime: the time, in scheduler ticks, to send size
-- bytes at rate bytes/s.
local function xmittime(r, sz)
  local usec = math.floor(1e6 * (sz / r)) % 2 ^ 32   -- in tc's order, for the same rounding
  return math.floor(usec * clock().tick_in_usec) % 2 ^ 32
end

-- u32 packs a number as a 32-bit integer in the host's byte order, which is
-- how the kernel reads rate tables.
local little = rtnl.tcmsg({index = 1}):encode():byte(21) == 1
local function u32(n)
  local b1, b2, b3, b4 = n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256,
    math.floor(n / 16777216) % 256
  if little then return string.char(b1, b2, b3, b4) end
  return string.char(b4, b3, b2, b1)
end

-- rtable is tc_calc_rtable for an Ethernet link: 256 transmission times,
-- one per size cell of 2^cell_log bytes, the cell chosen so mtu fits in
-- 256 cells. It returns the 1024-byte table and cell_log.
local function rtable(r, mtu, mpu)
  if mtu == 0 then mtu = 2047 end
  local cell_log = 0
  while math.floor(mtu / 2 ^ cell_log) > 255 do cell_log = cell_log + 1 end
  local t = {}
  for i = 0, 255 do
    t[#t + 1] = u32(xmittime(r, math.max((i + 1) * 2 ^ cell_log, mpu)))
  end
  return table.concat(t), cell_log
end

-- ratespec fills the prefix_* fields of a struct tc_ratespec embedded in a
-- tc_htb_opt or tc_tbf_qopt, and returns the rate table.
local function ratespec(opt, prefix, r, mtu, mpu, overhead)
  local tab, cell_log = rtable(math.min(r, 0xFFFFFFFF), mtu, mpu)
  opt[prefix .. '_cell_log'] = cell_log
  opt[prefix .. '_linklayer'] = TC_LINKLAYER_ETHERNET
  opt[prefix .. '_overhead'] = overhead
  opt[prefix .. '_cell_align'] = -1
  opt[prefix .. '_mpu'] = mpu
  opt[prefix .. '_rate'] = math.min(r, 0xFFFFFFFF)
  return tab
end

---------------------------------------------------------------------------
-- Qdiscs: each kind lists its keys and builds TCA_OPTIONS (nil: none sent).

local qdiscs = {}

-- htb: default is the minor number of the class for unclassified traffic
-- (0x10 for class 1:10; a string is hex, as tc reads 'default 10').
qdiscs.htb = {keys = {'default', 'r2q', 'direct_qlen'}, options = function(spec)
  local defcls = spec.default or 0
  if type(defcls) == 'string' then defcls = handle(defcls:find(':') and defcls or ':' .. defcls, 'ip.tc: default') % 0x10000 end
  local opts = {{'TCA_HTB_INIT', {version = 3, rate2quantum = spec.r2q or 10, defcls = defcls,
    debug = 0, direct_pkts = 0}}}
  if spec.direct_qlen then opts[#opts + 1] = {'TCA_HTB_DIRECT_QLEN', spec.direct_qlen} end
  return opts
end}

-- tbf: rate and burst, and either latency or limit (bytes of queue).
-- peakrate needs mtu, the size of the peak bucket.
qdiscs.tbf = {keys = {'rate', 'burst', 'latency', 'limit', 'peakrate', 'mtu', 'mpu', 'overhead'},
  options = function(spec)
  if not spec.rate then bad('ip.tc: tbf needs rate') end
  if not spec.burst then bad('ip.tc: tbf needs burst (bytes, or a size such as \'32kbit\')') end
  if not spec.latency and not spec.limit then bad('ip.tc: tbf needs latency or limit') end
  local r, burst = rate(spec.rate, 'ip.tc: rate'), size(spec.burst, 'ip.tc: burst')
  local peak = spec.peakrate and rate(spec.peakrate, 'ip.tc: peakrate')
  local mtu = spec.mtu and size(spec.mtu, 'ip.tc: mtu') or 0
  if peak and mtu == 0 then bad('ip.tc: tbf with peakrate needs mtu') end
  local mpu, overhead = spec.mpu or 0, spec.overhead or 0
  local limit = spec.limit and size(spec.limit, 'ip.tc: limit')
  if not limit then
    -- The queue holds what the bucket lets through in latency, plus burst.
    local lat = time(spec.latency, 'ip.tc: latency')
    limit = r * lat / 1e6 + burst
    if peak then limit = math.min(limit, peak * lat / 1e6 + mtu) end
    limit = math.floor(limit)
  end
  local parms = {limit = limit, mtu = 0}
  local rtab = ratespec(parms, 'rate', r, mtu, mpu, overhead)
  parms.buffer = xmittime(math.min(r, 0xFFFFFFFF), burst)
  local ptab
  if peak then
    ptab = ratespec(parms, 'peakrate', peak, mtu, mpu, overhead)
    parms.mtu = xmittime(math.min(peak, 0xFFFFFFFF), mtu)
  end
  local opts = {{'TCA_TBF_PARMS', parms}, {'TCA_TBF_BURST', burst}}
  if r >= 2 ^ 32 then opts[#opts + 1] = {'TCA_TBF_RATE64', r} end
  opts[#opts + 1] = {'TCA_TBF_RTAB', rtab}
  if peak then
    if peak >= 2 ^ 32 then opts[#opts + 1] = {'TCA_TBF_PRATE64', peak} end
    opts[#opts + 1] = {'TCA_TBF_PBURST', mtu}
    opts[#opts + 1] = {'TCA_TBF_PTAB', ptab}
  end
  return opts
end}

-- pfifo (limit in packets) and bfifo (limit in bytes): TCA_OPTIONS is the
-- bare struct tc_fifo_qopt; without limit the kernel takes txqueuelen.
local function fifo(spec)
  if spec.limit then return {limit = spec.limit} end
end
qdiscs.pfifo = {keys = {'limit'}, options = fifo}
qdiscs.bfifo = {keys = {'limit'}, options = function(spec)
  if spec.limit then return {limit = size(spec.limit, 'ip.tc: limit')} end
end}

-- ingress and clsact take no options; their handle is ffff: and they hang
-- from the ingress point (TC_H_INGRESS, which is also TC_H_CLSACT).
qdiscs.ingress = {keys = {}, special = true}
qdiscs.clsact = {keys = {}, special = true}

---------------------------------------------------------------------------
-- Classes

local classes = {}

-- htb: rate (needed) and ceil (default: rate); burst and cburst default to
-- what one timer tick sends plus an MTU, as tc computes them.
classes.htb = {keys = {'rate', 'ceil', 'burst', 'cburst', 'prio', 'quantum', 'mtu', 'mpu', 'overhead'},
  options = function(spec)
  if not spec.rate then bad('ip.tc: an htb class needs rate') end
  local r = rate(spec.rate, 'ip.tc: rate')
  local ceil = spec.ceil and rate(spec.ceil, 'ip.tc: ceil') or r
  local mtu = spec.mtu and size(spec.mtu, 'ip.tc: mtu') or 1600
  local mpu, overhead = spec.mpu or 0, spec.overhead or 0
  local hz = clock().hz
  local burst = spec.burst and size(spec.burst, 'ip.tc: burst') or math.floor(r / hz) + mtu
  local cburst = spec.cburst and size(spec.cburst, 'ip.tc: cburst') or math.floor(ceil / hz) + mtu
  local parms = {quantum = spec.quantum or 0, level = 0, prio = spec.prio or 0}
  local rtab = ratespec(parms, 'rate', r, mtu, mpu, overhead)
  local ctab = ratespec(parms, 'ceil', ceil, mtu, mpu, overhead)
  parms.buffer = xmittime(r, burst)       -- burst and cburst as sending times
  parms.cbuffer = xmittime(ceil, cburst)
  local opts = {}
  if r >= 2 ^ 32 then opts[#opts + 1] = {'TCA_HTB_RATE64', r} end
  if ceil >= 2 ^ 32 then opts[#opts + 1] = {'TCA_HTB_CEIL64', ceil} end
  opts[#opts + 1] = {'TCA_HTB_PARMS', parms}
  opts[#opts + 1] = {'TCA_HTB_RTAB', rtab}
  opts[#opts + 1] = {'TCA_HTB_CTAB', ctab}
  return opts
end}

---------------------------------------------------------------------------
-- Filters

local filters = {}

-- u32 keys are 32-bit words of the packet (network order) at offsets that
-- are multiples of 4; narrower matches share a word, as tc's pack_key does.
local function pack(keys, val, mask, off, what)
  val = bit.band(val, mask)
  for _, k in ipairs(keys) do
    if k.off == off and k.offmask == 0 then
      if bit.band(bit.bxor(k.val, val), bit.band(k.mask, mask)) ~= 0 then
        bad('%s: conflicts with another match on the same bytes', what)
      end
      k.val, k.mask = bit.bor(k.val, val) % 2 ^ 32, bit.bor(k.mask, mask) % 2 ^ 32
      return
    end
  end
  if #keys >= 128 then bad('%s: more than 128 keys', what) end
  keys[#keys + 1] = {val = val % 2 ^ 32, mask = mask % 2 ^ 32, off = off, offmask = 0}
end

-- field packs a match on width bytes at byte offset off, byte by byte.
local function field(keys, val, mask, off, width, what)
  if mask == 0 then   -- matches everything: an empty key, as 'match u32 0 0'
    return pack(keys, 0, 0, off - off % 4, what)
  end
  for i = width - 1, 0, -1 do
    local bm = math.floor(mask / 256 ^ i) % 256
    if bm ~= 0 then
      local at = off + (width - 1 - i)
      local shift = 256 ^ (3 - at % 4)
      pack(keys, (math.floor(val / 256 ^ i) % 256) * shift, bm * shift, at - at % 4, what)
    end
  end
end

local function ipv4(s, what)
  local a, b, c, d = tostring(s):match('^(%d+)%.(%d+)%.(%d+)%.(%d+)$')
  if not a then bad("%s: expected an IPv4 address, got '%s'", what, tostring(s)) end
  return ((tonumber(a) * 256 + tonumber(b)) * 256 + tonumber(c)) * 256 + tonumber(d)
end

local ip_protos = {icmp = 1, igmp = 2, tcp = 6, udp = 17, gre = 47, esp = 50, ah = 51,
  icmpv6 = 58, sctp = 132}

-- IPv4 header fields a match table may name, by offset (options absent for
-- the ports, as tc assumes): {name, offset, width in bytes}.
local ip_fields = {{'tos', 1, 1}, {'ip_proto', 9, 1}, {'src', 12, 4}, {'dst', 16, 4},
  {'sport', 20, 2}, {'dport', 22, 2}}
local match_keys = U.keys({'tos', 'ip_proto', 'src', 'dst', 'sport', 'dport'})

local function match_ip(keys, match)
  U.check('ip.tc: match', match, match_keys)
  for _, f in ipairs(ip_fields) do
    local name, off, width = f[1], f[2], f[3]
    local v = match[name]
    if v ~= nil then
      local what = 'ip.tc: match ' .. name
      local val, mask
      if name == 'src' or name == 'dst' then
        local a, len, fam = U.prefix(v, what)
        if fam ~= AF_INET or len > 32 then bad("%s: expected an IPv4 prefix, got '%s'", what, tostring(v)) end
        val, mask = ipv4(a, what), (2 ^ 32 - 2 ^ (32 - len))
      elseif name == 'ip_proto' then
        val, mask = ip_protos[v] or tonumber(v), 0xFF
        if not val then bad("%s: unknown protocol '%s'", what, tostring(v)) end
      else
        val, mask = tonumber(v), 256 ^ width - 1
      end
      field(keys, val, mask, off, width, what)
    end
  end
end

-- A raw key is a table {val=, mask=, off=, offmask=} (a whole aligned word)
-- or pyroute2's 'VAL/MASK+OFF' string: a field as wide as MASK is written
-- ('0x00ff' is two bytes), at byte offset OFF.
local function raw_key(keys, k, what)
  if type(k) == 'table' then
    U.check(what, k, U.keys({'val', 'mask', 'off', 'offmask'}))
    local off = k.off or 0
    if off % 4 ~= 0 or (k.offmask or 0) ~= 0 then
      keys[#keys + 1] = {val = bit.band(k.val or 0, k.mask or 0) % 2 ^ 32, mask = (k.mask or 0) % 2 ^ 32,
        off = off, offmask = k.offmask or 0}
      return
    end
    return pack(keys, k.val or 0, k.mask or 0, off, what)
  end
  local v, m, off = tostring(k):match('^%s*([^/%s]+)%s*/%s*([^+%s]+)%s*%+?%s*(%-?%w*)%s*$')
  local val, mask = tonumber(v or ''), tonumber(m or '')
  off = tonumber(off ~= '' and off or '0')
  if not (val and mask and off) then
    bad("%s: cannot read '%s' (use 'VAL/MASK+OFF', e.g. '0x0006/0x00ff+8')", what, tostring(k))
  end
  local width
  local hex = m:match('^0[xX](%x+)$')
  if hex then
    width = math.ceil(#hex / 2)
  else
    width = 1
    while mask >= 256 ^ width do width = width + 1 end
  end
  if width > 4 then bad('%s: a key is at most 4 bytes wide', what) end
  field(keys, val, mask, off, width, what)
end

-- u32: match (IPv4 fields by name) and keys (raw) make the selector;
-- classid (or flowid, or pyroute2's target) is the class packets go to.
filters.u32 = {keys = {'match', 'keys', 'classid', 'flowid', 'target'}, options = function(spec)
  local keys = {}
  if spec.match then match_ip(keys, spec.match) end
  for i, k in ipairs(spec.keys or {}) do raw_key(keys, k, 'ip.tc: keys[' .. i .. ']') end
  if #keys == 0 then keys[1] = {val = 0, mask = 0, off = 0, offmask = 0} end   -- match all
  local opts = {}
  local target = spec.classid or spec.flowid or spec.target
  local flags = 0
  if target then
    opts[#opts + 1] = {'TCA_U32_CLASSID', handle(target, 'ip.tc: classid')}
    flags = TC_U32_TERMINAL
  end
  opts[#opts + 1] = {'TCA_U32_SEL', {flags = flags, offshift = 0, nkeys = #keys, offmask = 0,
    off = 0, offoff = 0, hoff = 0, hmask = 0, keys = keys}}
  return opts
end}

---------------------------------------------------------------------------
-- ip.tc

-- Each command: which object, the message type and the header flags.
local REQ_ACK = bit.bor(NLM_F_REQUEST, NLM_F_ACK)
local commands = {
  add = {'qdisc', RTM_NEWQDISC, U.flags.add},
  replace = {'qdisc', RTM_NEWQDISC, U.flags.replace},
  change = {'qdisc', RTM_NEWQDISC, REQ_ACK},
  del = {'qdisc', RTM_DELQDISC, U.flags.del},
  ['add-class'] = {'class', RTM_NEWTCLASS, U.flags.add},
  ['replace-class'] = {'class', RTM_NEWTCLASS, bit.bor(REQ_ACK, NLM_F_CREATE)},
  ['change-class'] = {'class', RTM_NEWTCLASS, REQ_ACK},
  ['del-class'] = {'class', RTM_DELTCLASS, U.flags.del},
  ['add-filter'] = {'filter', RTM_NEWTFILTER, U.flags.add},
  ['replace-filter'] = {'filter', RTM_NEWTFILTER, bit.bor(REQ_ACK, NLM_F_CREATE)},
  ['change-filter'] = {'filter', RTM_NEWTFILTER, REQ_ACK},
  ['del-filter'] = {'filter', RTM_DELTFILTER, U.flags.del},
  dump = true,
}
local kinds = {qdisc = qdiscs, class = classes, filter = filters}

-- Keys every command takes: the device, the handles, and raw TCA_OPTIONS
-- for kinds this module does not describe.
local common = {'index', 'ifname', 'dev', 'kind', 'handle', 'parent', 'options'}
local extra = {qdisc = {}, class = {'classid'}, filter = {'prio', 'pref', 'protocol'}}

local function valid_keys(object, kind)
  local list = {}
  for _, k in ipairs(common) do list[#list + 1] = k end
  for _, k in ipairs(extra[object]) do list[#list + 1] = k end
  local d = kind and kinds[object][kind]
  for _, k in ipairs(d and d.keys or {}) do list[#list + 1] = k end
  return U.keys(list)
end

local function device(self, spec)
  local dev = spec.index or spec.ifname or spec.dev
  if dev == nil then bad('ip.tc: give the device as index, ifname or dev') end
  return U.ifindex(self, dev, 'ip.tc: dev')
end

local function htons(n) return (n % 256) * 256 + math.floor(n / 256) % 256 end

-- send is U.send, except that with echo it returns the object of the
-- request's own type: adding a root qdisc also reports the deletion of the
-- one it replaces, before the new one.
local function send(self, m, spec)
  if not spec.echo or spec.dry or self._batch then return U.send(self, m, spec) end
  m.header.flags = bit.bor(m.header.flags, NLM_F_ECHO)
  for _, r in ipairs(U.socket(self):request(m, {timeout = spec.timeout})) do
    if r.header.type == m.header.type then return r end
  end
end

-- ip.tc(cmd, kind, spec), or ip.tc(cmd, spec) with spec.kind.
function IP.tc(self, cmd, kind, spec)
  if type(kind) == 'table' and spec == nil then
    spec = kind             -- (two statements: gopher-lua assigns a, b = a.x, a left to right)
    kind = spec.kind
  end
  U.verb('ip.tc', cmd, commands)
  if cmd == 'dump' then return IP.qdiscs(self, spec) end
  spec = spec or {}
  if spec.kind and kind and spec.kind ~= kind then
    bad("ip.tc: kind '%s' and spec.kind '%s' differ", kind, spec.kind)
  end
  kind = kind or spec.kind
  local object, mtype, flags = commands[cmd][1], commands[cmd][2], commands[cmd][3]
  spec = U.check('ip.tc', spec, valid_keys(object, kind))
  local d = kind and kinds[object][kind]
  local creating = mtype ~= RTM_DELQDISC and mtype ~= RTM_DELTCLASS and mtype ~= RTM_DELTFILTER
  if creating and not d and not spec.options then
    local names = {}
    for n in pairs(kinds[object]) do names[#names + 1] = n end
    table.sort(names)
    bad("ip.tc: unknown %s kind '%s' (kinds: %s; others with options={…})",
      object, tostring(kind), table.concat(names, ', '))
  end

  local m = U.msg('tcmsg', mtype, flags)
  m.family = AF_UNSPEC
  m.index = device(self, spec)
  if object == 'qdisc' then
    local special = d and d.special
    m.handle = handle(spec.handle or (special and 'ffff:') or 0, 'ip.tc: handle')
    m.parent = handle(spec.parent or (special and TC_H_INGRESS) or 'root', 'ip.tc: parent')
  elseif object == 'class' then
    m.handle = handle(spec.classid or spec.handle or 0, 'ip.tc: classid')
    m.parent = handle(spec.parent or 0, 'ip.tc: parent')
  else
    m.handle = spec.handle and u32_handle(spec.handle, 'ip.tc: handle') or 0
    m.parent = handle(spec.parent or 0, 'ip.tc: parent', true)
    -- A new filter matches every protocol unless told; a del matches any.
    local proto = spec.protocol or (creating and 'all') or 0
    proto = ETH_P[proto] or proto
    if type(proto) ~= 'number' then
      bad("ip.tc: protocol must be 'ip', 'ipv6', 'arp', 'all' or an ETH_P_* number, got '%s'", tostring(proto))
    end
    m.info = (spec.prio or spec.pref or 0) * 0x10000 + htons(proto)
  end

  -- What tc sends: a del names the kind (the kernel checks it) and no
  -- options, except a class del, which tc sends bare.
  if kind and (creating or object ~= 'class') then m.attrs[#m.attrs + 1] = {'TCA_KIND', kind} end
  if creating then
    local opts = spec.options
    if opts == nil and d and d.options then opts = d.options(spec) end
    if opts ~= nil then m.attrs[#m.attrs + 1] = {'TCA_OPTIONS', opts} end
  end
  return send(self, m, spec)
end

---------------------------------------------------------------------------
-- Dumps

-- norm copies a dump filter, turning a device name into its index and
-- handle strings into numbers.
local tc_filter_keys
local function norm(self, filter, fname)
  if type(filter) ~= 'table' then return filter end
  tc_filter_keys = tc_filter_keys or U.filter_keys('tcmsg', 'TCA_', {'ifname', 'dev', 'classid', 'prio', 'protocol'})
  U.check(fname, filter, tc_filter_keys)
  local f = {}
  for k, v in pairs(filter) do f[k] = v end
  local dev = f.index or f.ifname or f.dev
  f.ifname, f.dev = nil, nil
  if dev ~= nil then f.index = U.ifindex(self, dev, fname .. ': dev') end
  if f.handle ~= nil then f.handle = handle(f.handle, fname .. ': handle', true) end
  if f.parent ~= nil then f.parent = handle(f.parent, fname .. ': parent', true) end
  if type(f.protocol) == 'string' then f.protocol = ETH_P[f.protocol] or f.protocol end
  return f
end

local match = U.matcher('TCA_', {
  classid = function(m, want)
    return m:get('TCA_OPTIONS', 'TCA_U32_CLASSID') == handle(want, 'classid')
  end,
  prio = function(m, want) return math.floor(m.info / 0x10000) == want end,
  protocol = function(m, want) return htons(m.info % 0x10000) == want end,
})

local function get(self, mtype, index, parent, opts)
  local m = U.msg('tcmsg', mtype, U.flags.dump)
  m.index, m.parent = index or 0, parent or 0
  return U.fetch(self, m, opts)
end

-- keep appends the messages matching filter to out.
local function keep(out, replies, filter)
  for _, r in ipairs(replies) do
    if filter == nil or match(r, filter) then out[#out + 1] = r end
  end
  return out
end

-- links lists the indexes to dump: the filter's device, or every link.
local function links(self, filter)
  if type(filter) == 'table' and filter.index then return {filter.index} end
  local idx = {}
  for _, l in ipairs(IP.links(self)) do idx[#idx + 1] = l.index end
  return idx
end

-- qdiscs(filter): every qdisc, or those matching filter, a table of
-- index/ifname/dev, kind, handle, parent ('1:', 'root' or numbers) and
-- TCA_* short names, or a function.
function IP.qdiscs(self, filter)
  filter = norm(self, filter, 'ip.qdiscs')
  return keep({}, get(self, RTM_GETQDISC, nil, nil, filter), filter)
end

-- classes(filter): the classes of one device (index, ifname or dev in the
-- filter) or of every device, filtered like qdiscs.
function IP.classes(self, filter)
  filter = norm(self, filter, 'ip.classes')
  local out = {}
  for _, i in ipairs(links(self, filter)) do keep(out, get(self, RTM_GETTCLASS, i, nil, filter), filter) end
  return out
end

-- filters(filter): the filters of one device or of all; the kernel lists
-- one qdisc or class at a time, the parent: the filter's parent if it names
-- one, else the root qdisc and the hooks of ingress and clsact qdiscs.
-- Besides the qdiscs' keys, prio, protocol (number or 'ip') and classid.
function IP.filters(self, filter)
  filter = norm(self, filter, 'ip.filters')
  local parents = {}
  for _, i in ipairs(links(self, filter)) do parents[i] = {0} end
  if type(filter) == 'table' and filter.parent then
    for i in pairs(parents) do parents[i] = {filter.parent} end
  else
    for _, q in ipairs(get(self, RTM_GETQDISC, nil, nil, filter)) do
      local p, kind = parents[q.index], q:get('TCA_KIND')
      if p and (kind == 'ingress' or kind == 'clsact') then p[#p + 1] = hook_words.ingress end
      if p and kind == 'clsact' then p[#p + 1] = hook_words.egress end
    end
  end
  -- The kernel answers for the parent asked (and may name it differently:
  -- ffff: for the hooks of an ingress qdisc), so it is not matched again.
  if type(filter) == 'table' then filter.parent = nil end
  local out, order = {}, {}
  for i in pairs(parents) do order[#order + 1] = i end
  table.sort(order)
  for _, i in ipairs(order) do
    for _, p in ipairs(parents[i]) do keep(out, get(self, RTM_GETTFILTER, i, p, filter), filter) end
  end
  return out
end
