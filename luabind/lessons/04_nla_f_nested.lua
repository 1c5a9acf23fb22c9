-- Lesson 4: NLA_F_NESTED. The learner makes the kernel refuse a nest sent
-- without the flag and hands the error over (the check sends that very
-- request again: it must fail the same way), then sends it right; the
-- check reads v0's alternative names from the kernel.
return {
  title = 'NLA_F_NESTED',
  concept = 'the flag that says a nest is one, and "NLA_F_NESTED is missing"',
  section = '3 Nesting',
  task = [[
A nest may say that it is one: the sender sets NLA_F_NESTED (0x8000) in its nla_type.
Where the kernel parses a nest strictly, a nest without it is refused with
"NLA_F_NESTED is missing". nlsh sets the flag where iproute2 does; a pair's nla_flags
overrides it.

Task: give v0 the alternative name "uplink" with RTM_NEWLINKPROP (flags NLM_F_REQUEST,
NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_APPEND), an ifinfomsg with v0's index and
  m.attrs = {{'IFLA_PROP_LIST', {{'IFLA_ALT_IFNAME', 'uplink'}}}}
First send it without the flag (m.attrs[1].nla_flags = 0), catch the refusal with
local ok, err = pcall(s.request, s, m) and hand it over: lesson.check(err).
Then put the flag back (m.attrs[1].nla_flags = NLA_F_NESTED), send it again, and
lesson.check().]],
  hints = {
    [[nl.explain(m) shows the flag on the nest's nla_type: "IFLA_PROP_LIST |NLA_F_NESTED".]],
    [[err.ext_ack is the kernel's message, err.attr the attribute it points at.]],
    [[ip.link('get', {ifname = 'v0'}):get('IFLA_PROP_LIST', 'IFLA_ALT_IFNAME') reads the name back.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, err)
    if err ~= nil then
      if type(err) ~= 'table' or err.kind ~= 'error' then
        return false, 'lesson.check(err) takes the error value pcall returned; you handed over ' .. k.what(err) .. '.'
      end
      if not tostring(err.ext_ack):find('NLA_F_NESTED is missing', 1, true) then
        return false, ('that error says %s: %s, not "NLA_F_NESTED is missing".'):format(
          tostring(err.code), tostring(err.ext_ack or err.message))
      end
      local req = rtnl.decode(err.request_bytes)[1]
      local nest = req and req.attrs[1]
      if not (req and req.event == 'RTM_NEWLINKPROP' and nest and nest[1] == 'IFLA_PROP_LIST' and nest.nla_flags == 0) then
        return false, 'that error answers another request than an RTM_NEWLINKPROP whose IFLA_PROP_LIST lacks the flag.'
      end
      -- The request lacks the flag, so the kernel refuses it again before
      -- it changes anything: ask it.
      local s = nl.socket('route')
      local ok, again = pcall(s.request, s, err.request_bytes)
      s:close()
      if ok or not tostring(again.ext_ack):find('NLA_F_NESTED is missing', 1, true) then
        return false, 'sent again, that request is not refused with "NLA_F_NESTED is missing".'
      end
      k.state.refused = true
      return 'step', 'the kernel refuses that request again, "NLA_F_NESTED is missing" at IFLA_PROP_LIST:\n' ..
        'its nla_type was 0x0034, without 0x8000. Now send it with the flag, then lesson.check().'
    end
    local alt = k.link('v0'):get('IFLA_PROP_LIST', 'IFLA_ALT_IFNAME')
    if alt ~= 'uplink' then
      return false, ('the kernel shows v0 with %s.'):format(
        alt and ('the alternative name "' .. alt .. '"') or 'no alternative name')
    end
    if not k.state.refused then
      return false, 'the kernel shows v0\'s alternative name "uplink", but first make it refuse the request\n' ..
        'without the flag (it still will) and hand the error over: lesson.check(err).'
    end
    return true, 'the kernel shows v0 with the alternative name "uplink": with NLA_F_NESTED on\n' ..
      'IFLA_PROP_LIST (nla_type 0x8034) it parsed the nest.'
  end,
  solution = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
m.header.type = RTM_NEWLINKPROP
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL|NLM_F_APPEND'
m.attrs = {{'IFLA_PROP_LIST', {{'IFLA_ALT_IFNAME', 'uplink'}}}}
m.attrs[1].nla_flags = 0
local ok, err = pcall(s.request, s, m)
print(lesson.check(err))
m.attrs[1].nla_flags = NLA_F_NESTED
s:request(m)
]=],
  check_with = 'lesson.check()',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
m.header.type = RTM_NEWLINKPROP
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL|NLM_F_APPEND'
m.attrs = {{'IFLA_PROP_LIST', {{'IFLA_ALT_IFNAME', 'uplink'}}}}
m.attrs[1].nla_flags = 0
local ok, err = pcall(s.request, s, m)
]=],
  mistake_says = 'the kernel shows v0 with no alternative name',
}
