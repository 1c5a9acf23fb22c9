-- ip nexthop add id 1 dev v0   (v0 = ifindex 3)
local msg = rtnl.nhmsg()
msg.header.type = RTM_NEWNEXTHOP
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_INET
msg.scope = 0
msg.protocol = 0
msg.flags = 0
msg.attrs = {
  {'NHA_ID', 1},
  {'NHA_OIF', 3},
}
return msg
