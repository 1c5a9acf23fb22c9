-- two_namespaces.lua NS_A NS_B [delete]: build two network namespaces joined
-- by a veth pair, with IPv4 and IPv6 addresses on both ends and a route in
-- each namespace to a prefix that lives behind the other one.
--
--   NS_A  veth-a 10.0.0.1/24 fd00::1/64 ---- veth-b 10.0.0.2/24 fd00::2/64  NS_B
--         lo 10.8.0.1/32 fd00:8::1/128          lo 10.9.0.1/32 fd00:9::1/128
--         route 10.9.0.0/16 via 10.0.0.2        route 10.8.0.0/16 via 10.0.0.1
--         route fd00:9::/48 via fd00::2         route fd00:8::/48 via fd00::1
--
-- Run it as root (it creates namespaces, which `ip netns` lists too):
--
--   nlsh scripts/two_namespaces.lua blue red
--   ip netns exec blue ping -c1 10.9.0.1      # through the route to red
--   nlsh scripts/two_namespaces.lua blue red delete
--
-- Deleting a namespace deletes the links in it, so 'delete' only removes the
-- two namespaces.

local a_name, b_name, mode = arg[1], arg[2], arg[3]
if not a_name or not b_name or (mode and mode ~= 'delete') then
  error('usage: two_namespaces.lua NS_A NS_B [delete]', 0)
end

if mode == 'delete' then
  for _, name in ipairs({a_name, b_name}) do
    local ok, err = pcall(nl.netns.del, name)
    if ok then print('deleted namespace ' .. name)
    else print(('namespace %s: %s'):format(name, tostring(err))) end
  end
  return
end

-- Both namespaces, as `ip netns add` makes them (files in /run/netns).
for _, name in ipairs({a_name, b_name}) do
  local ok, err = pcall(nl.netns.add, name)
  if not ok then
    if type(err) == 'table' and err.code == 'EEXIST' then
      error(('namespace %s exists already (remove it with: two_namespaces.lua %s %s delete)')
        :format(name, a_name, b_name), 0)
    end
    error(err, 0)
  end
end

-- ip.netns(name) is the ip module bound to that namespace: every verb works
-- there, whatever namespace nlsh itself runs in.
local A, B = ip.netns(a_name), ip.netns(b_name)

-- The veth pair: veth-a in A, its peer veth-b created directly in B.
A.link('add', {ifname = 'veth-a', kind = 'veth', peer = {ifname = 'veth-b', netns = b_name}})

-- Each side: its end of the pair and its own loopback addresses, then the
-- links up (lo too: a new namespace's loopback is down).
local sides = {
  {ns = A, name = a_name, dev = 'veth-a', v4 = '10.0.0.1', v6 = 'fd00::1', own = '8', peer4 = '10.0.0.2', peer6 = 'fd00::2', far = '9'},
  {ns = B, name = b_name, dev = 'veth-b', v4 = '10.0.0.2', v6 = 'fd00::2', own = '9', peer4 = '10.0.0.1', peer6 = 'fd00::1', far = '8'},
}
for _, s in ipairs(sides) do
  s.ns.addr('add', {ifname = s.dev, address = s.v4 .. '/24'})
  -- nodad: usable at once, without waiting for duplicate address detection.
  s.ns.addr('add', {ifname = s.dev, address = s.v6 .. '/64', flags = 'nodad'})
  s.ns.addr('add', {ifname = 'lo', address = '10.' .. s.own .. '.0.1/32'})
  s.ns.addr('add', {ifname = 'lo', address = 'fd00:' .. s.own .. '::1/128'})
  s.ns.link('set', {ifname = 'lo', state = 'up'})
  s.ns.link('set', {ifname = s.dev, state = 'up'})
end

-- Routes to the far side's prefixes, through the other end of the pair.
for _, s in ipairs(sides) do
  s.ns.route('add', {dst = '10.' .. s.far .. '.0.0/16', gateway = s.peer4})
  s.ns.route('add', {dst = 'fd00:' .. s.far .. '::/48', gateway = s.peer6})
end

for _, s in ipairs(sides) do
  print(('%s: %s %s/24 %s/64, routes 10.%s.0.0/16 and fd00:%s::/48 via the peer')
    :format(s.name, s.dev, s.v4, s.v6, s.far, s.far))
  s.ns.close()
end
