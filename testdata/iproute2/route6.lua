-- ip -6 route add 2001:db8:1::/48 via 2001:db8::2
-- No device given, so no RTA_OIF; table 254 is only in rtm_table.
local msg = rtnl.rtmsg()
msg.header.type = RTM_NEWROUTE
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_INET6
msg.dst_len = 48
msg.src_len = 0
msg.tos = 0
msg.table = RT_TABLE_MAIN
msg.proto = RTPROT_BOOT
msg.scope = RT_SCOPE_UNIVERSE
msg.type = RTN_UNICAST
msg.flags = 0
msg.attrs = {
  {'RTA_DST', '2001:db8:1::'},
  {'RTA_GATEWAY', '2001:db8::2'},
}
return msg
