-- Lesson 5: acknowledgements. The learner adds an address with s:send and
-- reads the ACK with s:recv; the check reads the address from the kernel
-- and the ACK's fields.
return {
  title = 'Acknowledgements',
  concept = 'NLM_F_ACK: an NLMSG_ERROR with error 0 and the request\'s header',
  section = '4 Sending, and the acknowledgement',
  task = [[
A request with NLM_F_ACK gets an answer even when it succeeds: an NLMSG_ERROR message
whose error is 0, carrying the request's header back (NLM_F_CAPPED: without its
payload). Without NLM_F_ACK a success gets no answer at all.

Task: add 10.0.0.1/24 to v0 with an RTM_NEWADDR you send with s:send and whose answer
you read with s:recv: flags NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE and NLM_F_EXCL,
sequence number 42, an ifaddrmsg (family AF_INET, prefixlen 24, v0's index) with
IFA_LOCAL and IFA_ADDRESS 10.0.0.1. Read the answer, local ack = s:recv()[1], and
hand it over: lesson.check(ack).]],
  hints = {
    [[rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = ip.link_lookup('v0')}.]],
    [[Without NLM_F_ACK, s:recv() waits for ever after a success: Ctrl-C stops it.]],
    [[ack.error, ack.header.sequence_number, ack.header.length and
bit.btest(ack.header.flags, NLM_F_CAPPED) say what the kernel answered.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, ack)
    local have = {}
    for _, a in ipairs(ip.addrs{index = ip.link_lookup('v0'), family = AF_INET}) do
      have[#have + 1] = a:get('IFA_LOCAL') .. '/' .. a.prefixlen
    end
    if #have ~= 1 or have[1] ~= '10.0.0.1/24' then
      return false, ('the kernel shows v0 with %s.'):format(
        #have == 0 and 'no IPv4 address' or 'the addresses ' .. k.list(have))
    end
    if not k.is_msg(ack, 'NLMSG_ERROR') then
      return 'step', 'the kernel shows 10.0.0.1/24 on v0. Now hand over its answer: lesson.check(ack)' ..
        (ack ~= nil and (' (you handed over ' .. k.what(ack) .. ')') or '') .. '.'
    end
    if ack.error ~= 0 or ack.type ~= RTM_NEWADDR then
      return false, ('that NLMSG_ERROR answers a %s with error %d: not your RTM_NEWADDR\'s ACK.')
        :format(tostring(ack.type), ack.error)
    end
    if ack.header.sequence_number ~= 42 then
      return false, ('that ACK answers sequence number %d, not 42.'):format(ack.header.sequence_number)
    end
    return true, ('the kernel shows 10.0.0.1/24 on v0, and its ACK is %d bytes, error 0, sequence\n' ..
      'number 42, NLM_F_CAPPED%s: its own header, the error code and your request\'s header.')
      :format(ack.header.length, k.has(ack, NLM_F_CAPPED) and '' or ' (not set?)')
  end,
  solution = [=[
local s = nl.socket('route')
local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = ip.link_lookup('v0')}
m.header.type = RTM_NEWADDR
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.header.sequence_number = 42
m.attrs = {{'IFA_LOCAL', '10.0.0.1'}, {'IFA_ADDRESS', '10.0.0.1'}}
s:send(m)
local ack = s:recv()[1]
]=],
  check_with = 'lesson.check(ack)',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 16, index = ip.link_lookup('v0')}
m.header.type = RTM_NEWADDR
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.header.sequence_number = 42
m.attrs = {{'IFA_LOCAL', '10.0.0.2'}, {'IFA_ADDRESS', '10.0.0.2'}}
s:send(m)
local ack = s:recv()[1]
]=],
  mistake_says = 'the kernel shows v0 with the addresses 10.0.0.2/16',
}
