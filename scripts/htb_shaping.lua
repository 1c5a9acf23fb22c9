-- htb_shaping.lua DEV [TOTAL]: shape DEV's outgoing traffic with an htb
-- tree, u32 filters sending packets to a class by destination address.
--
--   1:  htb qdisc (root of DEV; unclassified traffic goes to 1:20)
--   └── 1:1   TOTAL (default 10mbit)
--       ├── 1:10  6mbit, may borrow up to TOTAL   dst 10.0.0.2/32  (filter prio 1)
--       └── 1:20  4mbit, may borrow up to 8mbit    dst 10.0.0.0/24  (filter prio 2)
--
-- The /32 filter has the lower prio number, so it is tried before the /24
-- that also covers 10.0.0.2. Whatever root qdisc DEV had is replaced.
--
--   nlsh --netns demo scripts/htb_shaping.lua v0
--   nlsh --netns demo scripts/htb_shaping.lua v0 100mbit
--   ip netns exec demo tc -s class show dev v0

local dev, total = arg[1], arg[2] or '10mbit'
if not dev then error('usage: htb_shaping.lua DEV [TOTAL]', 0) end

-- The leaves: rates as tc writes them ('6mbit'; a number would be bytes/s).
local leaves = {
  {classid = '1:10', rate = '6mbit', ceil = total, dst = '10.0.0.2/32', prio = 1},
  {classid = '1:20', rate = '4mbit', ceil = '8mbit', dst = '10.0.0.0/24', prio = 2},
}

-- Start from a clean device: delete its root qdisc, if it has one of its
-- own (a device's default qdisc cannot be deleted: ENOENT or EINVAL).
local ok, err = pcall(ip.tc, 'del', {dev = dev})
if not ok and not (type(err) == 'table' and (err.code == 'ENOENT' or err.code == 'EINVAL')) then
  error(err, 0)
end

ip.tc('add', 'htb', {dev = dev, handle = '1:', default = '20'})
ip.tc('add-class', 'htb', {dev = dev, parent = '1:', classid = '1:1', rate = total, ceil = total})
for _, leaf in ipairs(leaves) do
  ip.tc('add-class', 'htb', {dev = dev, parent = '1:1', classid = leaf.classid,
    rate = leaf.rate, ceil = leaf.ceil})
  ip.tc('add-filter', 'u32', {dev = dev, parent = '1:', prio = leaf.prio, protocol = 'ip',
    match = {dst = leaf.dst}, classid = leaf.classid})
end

-- What the kernel now has. Rates come back in bytes per second.
local function bits(bytes)
  local b = bytes * 8
  if b % 1e6 == 0 then return ('%dmbit'):format(b / 1e6) end
  if b % 1e3 == 0 then return ('%dkbit'):format(b / 1e3) end
  return ('%dbit'):format(b)
end
local classes = ip.classes{dev = dev}
table.sort(classes, function(x, y) return x.handle < y.handle end)
for _, c in ipairs(classes) do
  local parms = c:get('TCA_OPTIONS', 'TCA_HTB_PARMS')
  print(('class %s parent %s rate %s ceil %s'):format(ip.tc_handle(c.handle),
    ip.tc_handle(c.parent), bits(parms.rate_rate), bits(parms.ceil_rate)))
end
for _, f in ipairs(ip.filters{dev = dev}) do
  local to = f:get('TCA_OPTIONS', 'TCA_U32_CLASSID')
  if to then
    print(('filter prio %d -> %s'):format(math.floor(f.info / 0x10000), ip.tc_handle(to)))
  end
end
