-- ip route add 10.9.0.0/24 encap ip id 5 dst 10.0.0.2 vxlan_opts 7 dev v0   (v0 = ifindex 3)
-- The RTA_ENCAP formats and the tunnel options are described with
-- NLA_F_NESTED, as iproute2 sends them.
local msg = rtnl.rtmsg()
msg.header.type = RTM_NEWROUTE
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.family = AF_INET
msg.dst_len = 24
msg.table = RT_TABLE_MAIN
msg.proto = RTPROT_BOOT
msg.scope = RT_SCOPE_LINK
msg.type = RTN_UNICAST
msg.attrs = {
  {'RTA_DST', '10.9.0.0'},
  {'RTA_ENCAP', {
    {'LWTUNNEL_IP_ID', 5},
    {'LWTUNNEL_IP_DST', '10.0.0.2'},
    {'LWTUNNEL_IP_OPTS', {
      {'LWTUNNEL_IP_OPTS_VXLAN', {{'LWTUNNEL_IP_OPT_VXLAN_GBP', 7}}},
    }},
  }},
  {'RTA_ENCAP_TYPE', 'LWTUNNEL_ENCAP_IP'},
  {'RTA_OIF', 3},
}
return msg
