-- tc qdisc add dev v0 root handle 1: htb default 10   (v0 = ifindex 3)
-- handle 1: is 0x00010000, parent root is TC_H_ROOT (0xffffffff).
-- TCA_KIND carries its NUL ("htb\0"). TCA_OPTIONS has no NLA_F_NESTED flag and
-- holds only TCA_HTB_INIT (struct tc_htb_glob, 20 bytes); "default 10" is hex,
-- so defcls = 0x10. No TCA_HTB_DIRECT_QLEN is sent.
local msg = rtnl.tcmsg()
msg.header.type = RTM_NEWQDISC
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_UNSPEC
msg.index = 3
msg.handle = 0x10000
msg.parent = TC_H_ROOT
msg.info = 0
msg.attrs = {
  {'TCA_KIND', 'htb'},
  {'TCA_OPTIONS', {
    {'TCA_HTB_INIT', {version = 3, rate2quantum = 10, defcls = 16, debug = 0, direct_pkts = 0}},
  }},
}
return msg
