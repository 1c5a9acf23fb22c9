-- ip rule add from 10.0.0.0/24 table 100
-- Table 100 (< 256) goes in the header's table field; no FRA_TABLE attribute.
local msg = rtnl.fib_rule_hdr()
msg.header.type = RTM_NEWRULE
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_EXCL + NLM_F_CREATE
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_INET
msg.dst_len = 0
msg.src_len = 24
msg.tos = 0
msg.table = 100
msg.res1 = 0
msg.res2 = 0
msg.action = FR_ACT_TO_TBL
msg.flags = 0
msg.attrs = {
  {'FRA_SRC', '10.0.0.0'},
}
return msg
