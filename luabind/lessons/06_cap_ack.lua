-- Lesson 6: NETLINK_CAP_ACK. The learner hands over the socket (the check
-- reads the option from the kernel) and the capped error it read; the
-- check sends a refused request itself, with and without the option, to
-- show what the cap saves.
return {
  title = 'NETLINK_CAP_ACK',
  concept = 'a socket option: errors echo only the request\'s header (NLM_F_CAPPED)',
  section = '4 Sending, and the acknowledgement',
  task = [[
When the kernel refuses a request, its NLMSG_ERROR echoes the whole request after the
error code, so a program can see what it sent. A socket with the NETLINK_CAP_ACK option
gets only the request's header back, and the error says so with NLM_F_CAPPED.

Task: open s = nl.socket('route', {cap_ack = true}), make the kernel refuse a request on
it (say, an RTM_NEWADDR for a link index that does not exist, 999, with NLM_F_ACK), send
it with s:send and read the error with local err = s:recv()[1]. Hand over the socket
and the error: lesson.check(s, err).]],
  hints = {
    [[rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 999} with IFA_LOCAL, flags
'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL': the kernel answers ENODEV.]],
    [[s:request would raise the error; s:send and s:recv hand you the NLMSG_ERROR itself.]],
    [[err.header.length is the error's size; err.length is the echoed request header's
nlmsg_len, the size of what you sent.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, sock, err)
    if type(sock) ~= 'table' or sock.kind ~= 'socket' then
      return false, 'hand over the socket first: lesson.check(s, err); you handed over ' .. k.what(sock) .. '.'
    end
    if sock.closed then return false, 'that socket is closed.' end
    if not sock.cap_ack then
      return false, 'the kernel says NETLINK_CAP_ACK is off on that socket: open it with\n' ..
        'nl.socket(\'route\', {cap_ack = true}).'
    end
    if not k.is_msg(err, 'NLMSG_ERROR') or err.error == 0 then
      return 'step', 'the kernel says NETLINK_CAP_ACK is on for that socket. Now hand over a refusal it read\n' ..
        '(an NLMSG_ERROR with an error): lesson.check(s, err). You handed over ' .. k.what(err) .. '.'
    end
    if not k.has(err, NLM_F_CAPPED) then
      return false, ('that error is not capped: it echoes your %d-byte request whole. Was it read\n' ..
        'on the socket you handed over?'):format(err.length)
    end
    -- What the cap saves, asked of the kernel: the same refusal on a
    -- socket without the option.
    local plain = nl.socket('route')
    local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 999}
    m.header.type = RTM_NEWADDR
    m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
    m.attrs = {{'IFA_LOCAL', '10.9.9.9'}}
    plain:send(m)
    local full = plain:recv()[1]
    plain:close()
    return true, ('the kernel says NETLINK_CAP_ACK is on for your socket, and your error, %s,\n' ..
      'is %d bytes, NLM_F_CAPPED: its header, the error code, your %d-byte request\'s header and\n' ..
      'the extended ACK. Without the option the kernel answers a %d-byte request with %d bytes.')
      :format(k.errno(err.error), err.header.length, err.length, full.length, full.header.length)
  end,
  solution = [=[
local s = nl.socket('route', {cap_ack = true})
local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 999}
m.header.type = RTM_NEWADDR
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.attrs = {{'IFA_LOCAL', '10.0.0.1'}, {'IFA_ADDRESS', '10.0.0.1'}}
s:send(m)
local err = s:recv()[1]
]=],
  check_with = 'lesson.check(s, err)',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 999}
m.header.type = RTM_NEWADDR
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.attrs = {{'IFA_LOCAL', '10.0.0.1'}, {'IFA_ADDRESS', '10.0.0.1'}}
s:send(m)
local err = s:recv()[1]
]=],
  mistake_says = 'the kernel says NETLINK_CAP_ACK is off on that socket',
}
