-- Lesson 9: NLMSG_DONE's own error. The learner makes a dump fail and
-- hands over the request and the NLMSG_DONE; the check sends the request
-- again and compares the kernel's answer.
return {
  title = 'NLMSG_DONE\'s error',
  concept = 'NLMSG_DONE carries an error and an extended ACK, as NLMSG_ERROR does',
  section = '6 Dumps',
  task = [[
NLMSG_DONE is more than an end marker: it carries an int error of its own, 0 when the
dump went well, a negative errno when it failed, followed by the extended ACK. A dump
the kernel refuses at once answers with a lone NLMSG_DONE.

Task: make a link dump fail. On a socket with strict checking (nlsh's default), a dump
request whose ifinfomsg sets a field the kernel does not filter on (flags = IFF_UP, say)
is refused. Send such a request, local req = ..., with s:send(req), read the answer with
local done = s:recv()[1], and hand over both: lesson.check(req, done).]],
  hints = {
    [[local req = rtnl.ifinfomsg{flags = IFF_UP} with header type RTM_GETLINK and flags
NLM_F_REQUEST + NLM_F_DUMP.]],
    [[done.error is the error (a negative errno); done:get('NLMSGERR_ATTR_MSG') the message.]],
    [[s:request(req) would raise the same error as an error value: e.code, e.ext_ack.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, req, done)
    if not k.is_msg(req) or not k.is_msg(done) then
      return false, 'hand over your request and the NLMSG_DONE: lesson.check(req, done); you handed over ' ..
        k.what(req) .. ' and ' .. k.what(done) .. '.'
    end
    if done.event ~= 'NLMSG_DONE' then
      return false, 'the second value is ' .. k.what(done) .. ', not NLMSG_DONE.'
    end
    if not (k.has(req, NLM_F_DUMP) and (req.event or ''):match('^RTM_GET')) then
      return false, 'your request is ' .. k.what(req) .. ' without NLM_F_DUMP: not a dump.'
    end
    if done.error == 0 then
      return false, 'your NLMSG_DONE says error 0: the dump went well. Make the kernel refuse it.'
    end
    -- Ask the kernel: the same request (a dump: it changes nothing) on a
    -- strict socket.
    local s = nl.socket('route')
    s:send(req)
    local again = s:recv()[1]
    s:close()
    local msg, again_msg = done:get('NLMSGERR_ATTR_MSG'), again:get('NLMSGERR_ATTR_MSG')
    if again.event ~= 'NLMSG_DONE' or again.error ~= done.error or again_msg ~= msg then
      return false, ('sent again, your request gets %s error %s %q, not your %d %q.')
        :format(again.event, tostring(again.error), tostring(again_msg), done.error, tostring(msg))
    end
    return true, ('sent again, your request gets the same answer: NLMSG_DONE with error\n' ..
      '%s and the extended ACK "%s".\nA dump\'s errors come in its NLMSG_DONE.'):format(k.errno(done.error), msg)
  end,
  solution = [=[
local s = nl.socket('route')
local req = rtnl.ifinfomsg{flags = IFF_UP}
req.header.type = RTM_GETLINK
req.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:send(req)
local done = s:recv()[1]
]=],
  check_with = 'lesson.check(req, done)',
  mistake = [=[
local s = nl.socket('route')
local req = rtnl.ifinfomsg()
req.header.type = RTM_GETLINK
req.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:send(req)
local done
repeat
  for _, m in ipairs(s:recv()) do done = m end
until done.event == 'NLMSG_DONE'
]=],
  mistake_says = 'your NLMSG_DONE says error 0',
}
