-- ip link add mv0 link v0 type macvlan mode bridge   (v0 = ifindex 3)
-- IFLA_LINK comes before IFLA_IFNAME. iproute2 sends IFLA_INFO_KIND without a
-- NUL terminator ("macvlan", 7 bytes), hence nl.raw (it still selects the
-- macvlan layout of IFLA_INFO_DATA). No NLA_F_NESTED flags.
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
  {'IFLA_LINK', 3},
  {'IFLA_IFNAME', 'mv0'},
  {'IFLA_LINKINFO', {
    {'IFLA_INFO_KIND', nl.raw('macvlan')},
    {'IFLA_INFO_DATA', {
      {'IFLA_MACVLAN_MODE', MACVLAN_MODE_BRIDGE},
    }},
  }},
}
return msg
