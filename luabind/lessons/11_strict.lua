-- Lesson 11: strict checking. The learner dumps table 100 on a strict and
-- a lax socket and hands over each list and socket; the check reads the
-- socket's option from the kernel and compares the list with the kernel's
-- own dump on such a socket.
return {
  title = 'Strict checking',
  concept = 'NETLINK_GET_STRICT_CHK: GETs checked, filters kept, NLM_F_DUMP_FILTERED',
  section = '7 Strict checking',
  task = [[
For years the kernel ignored what a GET request did not use. A socket with the
NETLINK_GET_STRICT_CHK option declares that its requests are filled correctly: the
kernel then checks them and honours their filters, and marks the messages of a dump it
filtered with NLM_F_DUMP_FILTERED. nlsh turns the option on, as iproute2 does.

This namespace has routes in table 100, and a local route in table 255. Task: dump the
IPv4 routes of table 100, an rtmsg with family AF_INET and {'RTA_TABLE', 100}, twice:
on nl.socket('route', {strict = false}) and on nl.socket('route'). Hand over each list
of replies (s:request returns it) with the socket it came from: lesson.check(routes, s).]],
  hints = {
    [[local m = rtnl.rtmsg{family = AF_INET}; m.header.type = RTM_GETROUTE;
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP; m.attrs = {{'RTA_TABLE', 100}}.]],
    [[bit.btest(r.header.flags, NLM_F_DUMP_FILTERED) says the kernel filtered; r.table and
r:get('RTA_TABLE') say which table a route is in.]],
    [[Without strict checking the kernel ignores RTA_TABLE in a dump request: you get every
table, unmarked, and must filter yourself.]],
  },
  setup = function(k)
    k.veth()
    ip.addr('add', {ifname = 'v0', address = '10.0.0.1/24'})
    ip.route('add', {dst = '10.1.0.0/16', type = 'blackhole', table = 100})
    ip.route('add', {dst = '10.2.0.0/16', type = 'blackhole', table = 100})
  end,
  check = function(k, routes, sock)
    local msgs = k.messages(routes)
    if not msgs or type(sock) ~= 'table' or sock.kind ~= 'socket' or sock.closed then
      return false, 'hand over the list of routes and the (open) socket it came from: lesson.check(routes, s);\n' ..
        'you handed over ' .. k.what(routes) .. ' and ' .. k.what(sock) .. '.'
    end
    local function describe(list)
      local dsts, filtered = {}, 0
      for _, r in ipairs(list) do
        if r.event == 'RTM_NEWROUTE' then
          dsts[#dsts + 1] = ('%s/%d table %d'):format(r:get('RTA_DST') or '0.0.0.0', r.dst_len, r:get('RTA_TABLE') or r.table)
          if k.has(r, NLM_F_DUMP_FILTERED) then filtered = filtered + 1 end
        end
      end
      table.sort(dsts)
      return dsts, filtered
    end
    -- The kernel's answer to the same dump on a socket like the learner's.
    local s = nl.socket('route', {strict = sock.strict})
    local m = rtnl.rtmsg{family = AF_INET}
    m.header.type = RTM_GETROUTE
    m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
    m.attrs = {{'RTA_TABLE', 100}}
    local want, wantf = describe(s:request(m))
    s:close()
    local got, gotf = describe(msgs)
    local mode = sock.strict and 'strict' or 'lax'
    if not k.same_set(got, want) or gotf ~= wantf then
      return false, ('the kernel says your socket is %s; on such a socket its dump of table 100 is\n' ..
        '  %s (%d marked NLM_F_DUMP_FILTERED);\nyour list is\n  %s (%d marked).\n' ..
        'Did the request carry {\'RTA_TABLE\', 100}?')
        :format(mode, k.list(want), wantf, k.list(got), gotf)
    end
    k.state[mode] = true
    local said = sock.strict and
      ('strict socket: %d routes, all of table 100,\neach marked NLM_F_DUMP_FILTERED.'):format(#got) or
      ('lax socket: %d routes, of every table,\nnone marked: the kernel ignored RTA_TABLE.'):format(#got)
    if not (k.state.strict and k.state.lax) then
      return 'step', 'the kernel agrees, ' .. said .. ' Now the other socket.'
    end
    return true, 'the kernel agrees, ' .. said .. '\nWith strict checking the kernel filtered and said so; without, it could not trust\n' ..
      'the request and sent everything.'
  end,
  solution = [=[
local function dump(s)
  local m = rtnl.rtmsg{family = AF_INET}
  m.header.type = RTM_GETROUTE
  m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
  m.attrs = {{'RTA_TABLE', 100}}
  return s:request(m)
end
local lax = nl.socket('route', {strict = false})
print(lesson.check(dump(lax), lax))
local s = nl.socket('route')
local routes = dump(s)
]=],
  check_with = 'lesson.check(routes, s)',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.rtmsg{family = AF_INET}
m.header.type = RTM_GETROUTE
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
local routes = s:request(m)
]=],
  mistake_says = 'on such a socket its dump of table 100 is',
}
