-- ip link add va type veth peer name vb
-- iproute2 sends IFLA_INFO_KIND without a NUL terminator ("veth", 4 bytes),
-- so the kind is given as nl.raw to get exactly those bytes (it still selects
-- the veth layout of IFLA_INFO_DATA). IFLA_IFNAME does carry its NUL.
-- No NLA_F_NESTED flag on IFLA_LINKINFO or IFLA_INFO_DATA.
local msg = rtnl.ifinfomsg()
msg.header.type = RTM_NEWLINK
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_UNSPEC
msg.ifi_type = 0
msg.index = 0
msg.flags = 0
msg.change = 0
msg.attrs = {
  {'IFLA_IFNAME', 'va'},
  {'IFLA_LINKINFO', {
    {'IFLA_INFO_KIND', nl.raw('veth')},
    {'IFLA_INFO_DATA', {
      {'VETH_INFO_PEER', {family = 0, ifi_type = 0, index = 0, flags = 0, change = 0,
                          attrs = {{'IFLA_IFNAME', 'vb'}}}},
    }},
  }},
}
return msg
