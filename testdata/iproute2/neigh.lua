-- ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0   (v0 = ifindex 3)
local msg = rtnl.ndmsg()
msg.header.type = RTM_NEWNEIGH
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_INET
msg.ifindex = 3
msg.state = NUD_PERMANENT
msg.flags = 0
msg.ndm_type = 0
msg.attrs = {
  {'NDA_DST', '10.0.0.5'},
  {'NDA_LLADDR', '02:00:00:00:00:05'},
}
return msg
