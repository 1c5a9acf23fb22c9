-- ip link add br0 type bridge
-- iproute2 sends IFLA_INFO_KIND without a NUL terminator ("bridge", 6 bytes),
-- hence nl.raw. No IFLA_INFO_DATA, no NLA_F_NESTED flag on IFLA_LINKINFO.
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
  {'IFLA_IFNAME', 'br0'},
  {'IFLA_LINKINFO', {
    {'IFLA_INFO_KIND', nl.raw('bridge')},
  }},
}
return msg
