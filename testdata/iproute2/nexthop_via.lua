-- ip nexthop add id 2 via 10.0.0.2 dev v0   (v0 = ifindex 3)
-- iproute2 sends NHA_GATEWAY before NHA_OIF.
local msg = rtnl.nhmsg()
msg.header.type = RTM_NEWNEXTHOP
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.family = AF_INET
msg.attrs = {
  {'NHA_ID', 2},
  {'NHA_GATEWAY', '10.0.0.2'},
  {'NHA_OIF', 3},
}
return msg
