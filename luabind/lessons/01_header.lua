-- Lesson 1: the header. The learner builds a request header field by field
-- and hands over the kernel's answer; the check reads v0's MTU from the
-- kernel and the answer's sequence number.
return {
  title = 'The header',
  concept = 'nlmsghdr: length, type, flags, sequence number, port id',
  section = '1 The header',
  task = [[
Every netlink message starts with a 16-byte struct nlmsghdr: nlmsg_len, nlmsg_type,
nlmsg_flags, nlmsg_seq and nlmsg_pid (in nlsh m.header.length, type, flags,
sequence_number and pid). The namespace has a veth pair, v0 and v1.

Task: set v0's MTU to 1400 with a message you build yourself, header field by field:
  type RTM_NEWLINK, flags NLM_F_REQUEST and NLM_F_ACK, sequence number 1400, pid 0;
  the body an ifinfomsg whose index is v0's, with one attribute {'IFLA_MTU', 1400}.
Send it with s:send(m) on s = nl.socket('route'), read the answer with
local ack = s:recv()[1], and hand it over: lesson.check(ack).]],
  hints = {
    [[ip.link_lookup('v0') is v0's index: local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}.]],
    [[m.header.flags = NLM_F_REQUEST + NLM_F_ACK; m.header.sequence_number = 1400. Leave length
at 0: the encoder computes it (nl.explain(m) shows the 16 header bytes).]],
    [[The answer is an NLMSG_ERROR message: error 0 means done, and its header carries your
sequence number back and your socket's port id (s:port()) as nlmsg_pid.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, ack)
    local v0 = k.link('v0')
    local mtu = v0:get('IFLA_MTU')
    if mtu ~= 1400 then
      return false, ('the kernel shows v0 with mtu %d; the task is 1400.'):format(mtu)
    end
    if ack == nil then
      return 'step', 'the kernel shows v0 with mtu 1400. Now hand over the answer you read: lesson.check(ack).'
    end
    if not k.is_msg(ack, 'NLMSG_ERROR') then
      return false, 'v0 has mtu 1400, but you handed over ' .. k.what(ack) ..
        ', not the NLMSG_ERROR that answered your request.'
    end
    if ack.error ~= 0 then
      return false, ('that answer says error %d: it refused a request.'):format(ack.error)
    end
    if ack.header.sequence_number ~= 1400 then
      return false, ('v0 has mtu 1400, but the answer you handed over carries sequence number %d: the\n' ..
        'kernel copies nlmsg_seq from the request it answers, so that request had %d, not 1400.')
        :format(ack.header.sequence_number, ack.header.sequence_number)
    end
    return true, ('the kernel shows v0 with mtu 1400, and its answer carries your sequence number\n' ..
      '1400 back, error 0, and nlmsg_pid %d: your socket\'s port id, where the kernel sent it.')
      :format(ack.header.pid)
  end,
  solution = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
m.header.type = RTM_NEWLINK
m.header.flags = NLM_F_REQUEST + NLM_F_ACK
m.header.sequence_number = 1400
m.attrs = {{'IFLA_MTU', 1400}}
s:send(m)
local ack = s:recv()[1]
]=],
  check_with = 'lesson.check(ack)',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
m.header.type = RTM_NEWLINK
m.header.flags = NLM_F_REQUEST + NLM_F_ACK
m.header.sequence_number = 7
m.attrs = {{'IFLA_MTU', 1300}}
s:send(m)
local ack = s:recv()[1]
]=],
  mistake_says = 'the kernel shows v0 with mtu 1300',
}
