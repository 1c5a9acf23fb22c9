-- Lesson 10: NLM_F_DUMP_INTR. The lesson changes the links while the
-- learner dumps them (interrupt.go adds a bridge once the first datagram of a
-- link dump is read); the check wants a flagged message the kernel sent.
return {
  title = 'NLM_F_DUMP_INTR',
  concept = 'objects changed during a dump: what follows the change is flagged',
  section = '6 Dumps',
  -- run.go reads this: add a link when a link dump's first datagram is read.
  interrupt_link_dumps = true,
  task = [[
The kernel writes a dump a datagram at a time, as you read it, so the objects may change
in between. When it notices they did, it sets NLM_F_DUMP_INTR on the messages it writes
after the change, NLMSG_DONE included: the dump may have missed an object or shown one
twice, and should be fetched again.

In this lesson another program changes the links while you dump them: as soon as you
have read the first datagram of a link dump, the lesson adds a bridge. Task: dump the
links with s:send and s:recv() until NLMSG_DONE, find a message carrying
NLM_F_DUMP_INTR, and hand it over: lesson.check(m).]],
  hints = {
    [[bit.btest(m.header.flags, NLM_F_DUMP_INTR) tests the flag.]],
    [[The first datagrams may carry no flag: the kernel had written them before the change.
Look at every message up to NLMSG_DONE.]],
    [[s:request raises an error value with code 'NLM_F_DUMP_INTR' for such a dump; its
replies field holds the messages. lesson.check(err) takes that too.]],
  },
  setup = function(k)
    k.veth()
    ip.batch(function()
      for i = 1, 30 do ip.link('add', {ifname = 'c' .. i, kind = 'veth', peer = 'd' .. i}) end
    end)
  end,
  check = function(k, v)
    local added = #k.added > 0 and ('(The lesson added ' .. k.list(k.added) .. ' during your dumps.)\n') or ''
    if type(v) == 'table' and v.kind == 'error' then
      if v.code ~= 'NLM_F_DUMP_INTR' then
        return false, 'that error is ' .. tostring(v.code) .. ', not NLM_F_DUMP_INTR.\n' .. added
      end
      for _, m in ipairs(v.replies or {}) do
        if k.has(m, NLM_F_DUMP_INTR) then v = m end
      end
    end
    if not k.is_msg(v) then
      return false, 'hand over a message of the dump: lesson.check(m); you handed over ' .. k.what(v) .. '.\n' .. added
    end
    if not k.has(v, NLM_F_DUMP_INTR) then
      return false, ('the %s you handed over has no NLM_F_DUMP_INTR (flags 0x%x): look further,\n' ..
        'up to NLMSG_DONE.\n'):format(v.event, v.header.flags) .. added
    end
    local bytes, sent = v:encode(), false
    for _, b in ipairs(k.flagged) do
      if b == bytes then sent = true end
    end
    if not sent then
      return false, 'that message carries the flag, but the kernel sent no such message in this lesson.'
    end
    return true, ('the kernel flagged this %s NLM_F_DUMP_INTR: the links changed while it\n' ..
      'wrote the dump. A dump again now, with nobody changing them, comes whole: the kernel\n' ..
      'has %d links.\n'):format(v.event, #k.link_names()) .. added
  end,
  solution = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_GETLINK
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:send(m)
local flagged, last
repeat
  for _, r in ipairs(s:recv()) do
    last = r
    if not flagged and bit.btest(r.header.flags, NLM_F_DUMP_INTR) then flagged = r end
  end
until last.event == 'NLMSG_DONE'
]=],
  check_with = 'lesson.check(flagged)',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_GETLINK
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:send(m)
local flagged = s:recv()[1]
]=],
  mistake_says = 'has no NLM_F_DUMP_INTR',
}
