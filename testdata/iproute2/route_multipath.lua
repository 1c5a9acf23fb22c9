-- ip route add 10.9.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2
-- No device given: rtnh_ifindex (oif) is 0 in both nexthops; hops = weight - 1.
-- Each rtnexthop's length is 16 (8-byte header + 8-byte RTA_GATEWAY).
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
  {'RTA_DST', '10.9.0.0'},
  {'RTA_MULTIPATH', {
    {length = 0, flags = 0, hops = 0, oif = 0, attrs = {{'RTA_GATEWAY', '10.0.0.2'}}},
    {length = 0, flags = 0, hops = 1, oif = 0, attrs = {{'RTA_GATEWAY', '10.0.0.3'}}},
  }},
}
return msg
