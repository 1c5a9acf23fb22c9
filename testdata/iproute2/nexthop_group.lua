-- ip nexthop add id 10 group 1/2,3
-- Each member's weight field is the weight minus one.
local msg = rtnl.nhmsg()
msg.header.type = RTM_NEWNEXTHOP
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.family = AF_UNSPEC
msg.attrs = {
  {'NHA_ID', 10},
  {'NHA_GROUP', {entries = {{id = 1, weight = 0}, {id = 2, weight = 2}}}},
}
return msg
