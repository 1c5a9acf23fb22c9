-- ip route add 10.8.0.0/16 via 10.0.0.2
-- No device given, so no RTA_OIF; table 254 is only in rtm_table (no RTA_TABLE).
local msg = rtnl.rtmsg()
msg.header.type = RTM_NEWROUTE
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_INET
msg.dst_len = 16
msg.src_len = 0
msg.tos = 0
msg.table = RT_TABLE_MAIN
msg.proto = RTPROT_BOOT
msg.scope = RT_SCOPE_UNIVERSE
msg.type = RTN_UNICAST
msg.flags = 0
msg.attrs = {
  {'RTA_DST', '10.8.0.0'},
  {'RTA_GATEWAY', '10.0.0.2'},
}
return msg
