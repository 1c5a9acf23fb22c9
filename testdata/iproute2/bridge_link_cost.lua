-- bridge link set dev v1 cost 5   (v1 = ifindex 2, a port of br0)
-- IFLA_PROTINFO is a sub-message chosen by the header's family; its
-- AF_BRIDGE format sets NLA_F_NESTED, as iproute2 does.
local msg = rtnl.ifinfomsg()
msg.header.type = RTM_SETLINK
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_BRIDGE
msg.ifi_type = 0
msg.index = 2
msg.flags = 0
msg.change = 0
msg.attrs = {
  {'IFLA_PROTINFO', {
    {'IFLA_BRPORT_COST', 5},
  }},
}
return msg
