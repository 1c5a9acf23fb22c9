-- Lesson 8: dumps. Sixty links make a dump of several datagrams; the
-- learner reads them all and hands the messages over; the check compares
-- them with the kernel's list of links.
return {
  title = 'Dumps',
  concept = 'NLM_F_DUMP: many datagrams of NLM_F_MULTI messages, then NLMSG_DONE',
  section = '6 Dumps',
  task = [[
A GET with NLM_F_DUMP asks for every object. The answer comes in as many datagrams as
it needs, each holding several messages marked NLM_F_MULTI, and ends with an NLMSG_DONE
message. This namespace has 63 links: more than one datagram holds.

Task: send an RTM_GETLINK with NLM_F_REQUEST and NLM_F_DUMP with s:send, then call
s:recv() (it returns the messages of one datagram) until a message is NLMSG_DONE,
keeping every message in one list, NLMSG_DONE included. Hand the list over:
lesson.check(all).]],
  hints = {
    [[local all = {} repeat local got = s:recv(); for _, m in ipairs(got) do all[#all + 1] = m end
until all[#all].event == 'NLMSG_DONE']],
    [[Count the datagrams as you go: each s:recv() is one. s:request(m) does the same loop
for you, but keeps NLMSG_DONE to itself.]],
    [[bit.btest(m.header.flags, NLM_F_MULTI) is true on every message of a dump.]],
  },
  setup = function(k)
    k.veth()
    ip.batch(function()
      for i = 1, 30 do ip.link('add', {ifname = 'c' .. i, kind = 'veth', peer = 'd' .. i}) end
    end)
  end,
  check = function(k, all)
    local msgs = k.messages(all)
    if not msgs or #msgs == 0 then
      return false, 'hand over the list of every message you received: lesson.check(all); you handed over ' ..
        k.what(all) .. '.'
    end
    local kernel = k.link_names()
    local names, notmulti = {}, 0
    for _, m in ipairs(msgs) do
      if m.event == 'RTM_NEWLINK' then
        names[#names + 1] = m:get('IFLA_IFNAME')
        if not k.has(m, NLM_F_MULTI) then notmulti = notmulti + 1 end
      end
    end
    local last = msgs[#msgs]
    if last.event ~= 'NLMSG_DONE' then
      return false, ('your list has %d links and no NLMSG_DONE; the kernel has %d links. A dump spans\n' ..
        'several datagrams: call s:recv() again until a message is NLMSG_DONE.'):format(#names, #kernel)
    end
    if notmulti > 0 then
      return false, ('%d of your messages lack NLM_F_MULTI: they are not from the dump.'):format(notmulti)
    end
    table.sort(names)
    if not k.same_set(names, kernel) then
      return false, ('your list has %d links, the kernel has %d: %s.'):format(#names, #kernel, k.list(kernel))
    end
    return true, ('your %d links are the kernel\'s %d, every message marked NLM_F_MULTI, and the\n' ..
      'dump ends with NLMSG_DONE, error %d.'):format(#names, #kernel, last.error)
  end,
  solution = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_GETLINK
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:send(m)
local all, datagrams = {}, 0
repeat
  local got = s:recv()
  datagrams = datagrams + 1
  for _, r in ipairs(got) do all[#all + 1] = r end
until all[#all].event == 'NLMSG_DONE'
]=],
  check_with = 'lesson.check(all)',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_GETLINK
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:send(m)
local all = s:recv()
]=],
  mistake_says = 'no NLMSG_DONE; the kernel has 63 links',
}
