-- ip nexthop add id 11 group 1/2 type resilient buckets 8
-- The description of NHA_RES_GROUP sets NLA_F_NESTED, as iproute2 does.
local msg = rtnl.nhmsg()
msg.header.type = RTM_NEWNEXTHOP
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.family = AF_UNSPEC
msg.attrs = {
  {'NHA_ID', 11},
  {'NHA_GROUP', {entries = {{id = 1, weight = 0}, {id = 2, weight = 0}}}},
  {'NHA_RES_GROUP', {{'NHA_RES_GROUP_BUCKETS', 8}}},
  {'NHA_GROUP_TYPE', 'NEXTHOP_GRP_TYPE_RES'},
}
return msg
