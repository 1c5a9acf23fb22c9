-- ip link set dev mv0 protodown on protodown_reason 0 on   (mv0 = ifindex 5)
-- Reason bit 0: the mask and the value both 1. IFLA_PROTO_DOWN is a u8.
local msg = rtnl.ifinfomsg()
msg.header.type = RTM_NEWLINK
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK
msg.header.sequence_number = 0
msg.header.pid = 0
msg.family = AF_UNSPEC
msg.ifi_type = 0
msg.index = 5
msg.flags = 0
msg.change = 0
msg.attrs = {
  {'IFLA_PROTO_DOWN', 1},
  {'IFLA_PROTO_DOWN_REASON', {
    {'IFLA_PROTO_DOWN_REASON_MASK', 1},
    {'IFLA_PROTO_DOWN_REASON_VALUE', 1},
  }},
}
return msg
