-- Lesson 3: nesting. The learner creates a veth pair with a three-deep
-- nest; the check reads the new link and its peer from the kernel.
return {
  title = 'Nesting',
  concept = 'attributes in attributes: IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER',
  section = '3 Nesting',
  task = [[
An attribute's payload can be a list of attributes. Creating a veth pair nests three
deep: IFLA_LINKINFO holds IFLA_INFO_KIND and IFLA_INFO_DATA; for veth, IFLA_INFO_DATA
holds VETH_INFO_PEER, a whole ifinfomsg with attributes of its own: the peer.

Task: create a veth pair n0/n1 with one RTM_NEWLINK (flags NLM_F_REQUEST, NLM_F_ACK,
NLM_F_CREATE, NLM_F_EXCL) whose attributes are IFLA_IFNAME 'n0' and the IFLA_LINKINFO
nest, the peer named n1 inside VETH_INFO_PEER. Send it with s:request(m), then
lesson.check().]],
  hints = {
    [[In nlsh a nest is a Lua list of pairs: {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, ...}}.]],
    [[VETH_INFO_PEER's value is a record, a table with the ifinfomsg's fields and attrs:
{'VETH_INFO_PEER', {attrs = {{'IFLA_IFNAME', 'n1'}}}}.]],
    [[nl.explain(m) prints the nests indented, each with its own nla_len.]],
  },
  setup = function(k) k.veth() end,
  check = function(k)
    local n0 = k.link('n0')
    if not n0 then
      return false, 'the kernel shows no link n0; its links are ' .. k.list(k.link_names(), 12) .. '.'
    end
    local kind = n0:get('IFLA_LINKINFO', 'IFLA_INFO_KIND')
    if kind ~= 'veth' then
      return false, ('the kernel shows n0 of kind %s, not veth.'):format(tostring(kind))
    end
    local peer
    for _, l in ipairs(ip.links()) do
      if l.index == n0:get('IFLA_LINK') then peer = l:get('IFLA_IFNAME') end
    end
    if peer ~= 'n1' then
      return false, ('the kernel shows n0 with its peer named %s: without VETH_INFO_PEER (or its\n' ..
        'IFLA_IFNAME) the kernel names the peer itself. Delete n0 (ip.link(\'del\', {ifname = \'n0\'}))\n' ..
        'and try again.'):format(tostring(peer))
    end
    return true, 'the kernel shows the veth pair n0 and n1: the peer\'s name came from the ifinfomsg\n' ..
      'nested three deep, IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER.'
  end,
  solution = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_NEWLINK
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.attrs = {
  {'IFLA_IFNAME', 'n0'},
  {'IFLA_LINKINFO', {
    {'IFLA_INFO_KIND', 'veth'},
    {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {attrs = {{'IFLA_IFNAME', 'n1'}}}}}},
  }},
}
s:request(m)
]=],
  check_with = 'lesson.check()',
  mistake = [=[
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_NEWLINK
m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.attrs = {{'IFLA_IFNAME', 'n0'}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}}}}
s:request(m)
]=],
  mistake_says = 'its peer named veth0',
}
