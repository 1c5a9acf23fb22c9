-- add_veth.lua NAME PEER: create a veth pair with a raw RTM_NEWLINK message.
-- The peer is itself an ifinfomsg with attributes, nested inside
-- IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER.
--
--   nlsh --netns demo scripts/add_veth.lua v0 v1

local name, peer = arg[1], arg[2]
if not name or not peer then
  error('usage: add_veth.lua NAME PEER', 0)
end

local msg = rtnl.ifinfomsg()
msg.header.type = RTM_NEWLINK
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_CREATE + NLM_F_EXCL
msg.attrs = {
  {'IFLA_IFNAME', name},
  {'IFLA_LINKINFO', {
    {'IFLA_INFO_KIND', 'veth'},
    {'IFLA_INFO_DATA', {
      {'VETH_INFO_PEER', {family = AF_UNSPEC, index = 0, flags = 0, change = 0,
                          attrs = {{'IFLA_IFNAME', peer}}}},
    }},
  }},
}

local s = nl.socket('route')
s:request(msg)   -- raises the kernel's error (EEXIST if the name is taken)
s:close()
print(('created veth pair %s <-> %s'):format(name, peer))
