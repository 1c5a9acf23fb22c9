-- ip addr add 10.0.0.1/24 dev v0   (v0 = ifindex 3)
-- iproute2 sends IFA_LOCAL before IFA_ADDRESS.
local msg = rtnl.ifaddrmsg()
msg.header.type = RTM_NEWADDR
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_INET
msg.prefixlen = 24
msg.flags = 0
msg.scope = 0
msg.index = 3
msg.attrs = {
  {'IFA_LOCAL', '10.0.0.1'},
  {'IFA_ADDRESS', '10.0.0.1'},
}
return msg
