-- bridge_ports.lua [BRIDGE [ADDRESS]]: make a bridge with three ports and an
-- address, and list its ports.
--
-- Each port is one end of a veth pair (BRIDGE-p1 … BRIDGE-p3) enslaved to
-- the bridge; the other ends (BRIDGE-h1 … BRIDGE-h3) stay free, as the
-- "hosts" plugged into it (move one into a namespace with
-- ip.link('set', {ifname=…, netns='blue'}) to make a real host of it).
-- BRIDGE defaults to br0 and ADDRESS to 192.168.50.1/24.
--
--   nlsh --netns demo scripts/bridge_ports.lua
--   nlsh --netns demo scripts/bridge_ports.lua br1 192.168.60.1/24
--   ip -n demo link show master br0

local bridge = arg[1] or 'br0'
local address = arg[2] or '192.168.50.1/24'
if #bridge > 12 then
  error('bridge_ports.lua: bridge name too long (ports are named BRIDGE-p1, at most 15 characters)', 0)
end

-- The bridge, without spanning tree (a single bridge has no loops), so its
-- ports forward at once.
ip.link('add', {ifname = bridge, kind = 'bridge', stp_state = 0})

for i = 1, 3 do
  local port, host = bridge .. '-p' .. i, bridge .. '-h' .. i
  ip.link('add', {ifname = port, kind = 'veth', peer = host})
  -- master= enslaves the link (by name or index); master=false frees it.
  ip.link('set', {ifname = port, master = bridge, state = 'up'})
  ip.link('set', {ifname = host, state = 'up'})
end

ip.link('set', {ifname = bridge, state = 'up'})
ip.addr('add', {ifname = bridge, address = address})

-- ip.links{master=…} asks the kernel for the bridge's ports only.
print(('%s %s, ports:'):format(bridge, address))
for _, l in ipairs(ip.links{master = bridge}) do
  print(('  %s (index %d)'):format(l:get('IFLA_IFNAME'), l.index))
end
