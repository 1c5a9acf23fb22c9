-- ip link property add dev v0 altname v0alt   (v0 = ifindex 3)
-- The description of IFLA_PROP_LIST sets NLA_F_NESTED, as iproute2 does; no
-- nla_flags is given here.
local msg = rtnl.ifinfomsg()
msg.header.type = RTM_NEWLINKPROP
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE + NLM_F_APPEND
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_UNSPEC
msg.ifi_type = 0
msg.index = 3
msg.flags = 0
msg.change = 0
msg.attrs = {
  {'IFLA_PROP_LIST', {
    {'IFLA_ALT_IFNAME', 'v0alt'},
  }},
}
return msg
