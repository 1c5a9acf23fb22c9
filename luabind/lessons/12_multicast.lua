-- Lesson 12: multicast groups. The learner joins the link group, makes a
-- change and reads its notification; the check reads the socket's groups
-- from the kernel and the notified link from the kernel's list.
return {
  title = 'Multicast groups',
  concept = 'notifications to the sockets that joined a group (RTNLGRP_LINK)',
  section = '8 Multicast groups',
  task = [[
The kernel also sends messages nobody asked for: notifications of changes, to every
socket that joined a multicast group. RTNLGRP_LINK (group 1, 'link' in nlsh) tells of
links created, changed and deleted.

Task: open a socket in the link group, s = nl.socket('route', {groups = {'link'}}) (or
s:join('link') on one you have), then create a bridge br0 (ip.link('add', {ifname =
'br0', kind = 'bridge'}), or an RTM_NEWLINK of your own). Read its notification,
local ev = s:recv()[1], and hand over the socket and the notification:
lesson.check(s, ev).]],
  hints = {
    [[Join before the change: a socket hears only what happens after it joined.]],
    [[A notification answers no request: its sequence number is 0 (ev.header.sequence_number).]],
    [[nl.events{'link'} does the same with an iterator; the lesson wants the socket, to ask
the kernel which groups it joined.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, sock, ev)
    if type(sock) ~= 'table' or sock.kind ~= 'socket' or sock.closed then
      return false, 'hand over the (open) socket and the notification: lesson.check(s, ev); you handed over ' ..
        k.what(sock) .. '.'
    end
    local joined = false
    for _, g in ipairs(sock.groups) do joined = joined or g == RTNLGRP_LINK end
    if not joined then
      return false, ('the kernel says that socket has joined %s: join \'link\' (RTNLGRP_LINK).'):format(
        #sock.groups == 0 and 'no group' or 'the groups ' .. k.list(k.group_names(sock.groups)))
    end
    local br0 = k.link('br0')
    if not br0 then
      return 'step', 'the kernel says the socket is in RTNLGRP_LINK. Now create br0 and hand over its notification.'
    end
    if not k.is_msg(ev, 'RTM_NEWLINK') or ev:get('IFLA_IFNAME') ~= 'br0' then
      return false, 'the kernel shows br0; hand over its notification, an RTM_NEWLINK for br0 (you handed over ' ..
        k.what(ev) .. ').'
    end
    if ev.index ~= br0.index then
      return false, ('your notification is of a br0 with index %d; the kernel\'s br0 has index %d.')
        :format(ev.index, br0.index)
    end
    return true, ('the kernel says your socket is in RTNLGRP_LINK, and it sent it RTM_NEWLINK for\n' ..
      'br0, index %d, sequence number %d: a notification answers no request.')
      :format(br0.index, ev.header.sequence_number)
  end,
  solution = [=[
local s = nl.socket('route', {groups = {'link'}})
ip.link('add', {ifname = 'br0', kind = 'bridge'})
local ev = s:recv()[1]
]=],
  check_with = 'lesson.check(s, ev)',
  mistake = [=[
local s = nl.socket('route')
ip.link('add', {ifname = 'br0', kind = 'bridge'})
local ev = nil
]=],
  mistake_says = 'the kernel says that socket has joined no group',
}
