-- Lesson 13: overruns. The learner overflows a listener's receive buffer;
-- the check reads the buffer's size and the groups from the kernel, and
-- the links that were made, whose notifications were lost.
return {
  title = 'ENOBUFS',
  concept = 'a full receive buffer drops notifications: the next read says ENOBUFS',
  section = '9 Overruns',
  task = [[
Notifications wait in the socket's receive buffer until the program reads them. When it
is full the kernel drops them, and the next read fails with ENOBUFS: the listener has
lost track, and resynchronises by dumping the objects again.

Task: make it happen. Open s = nl.socket('route', {groups = {'link'}, rcvbuf = 1024})
(the kernel's smallest buffer), create ten bridges b1 ... b10 before reading anything,
then read: local ok, err = pcall(s.recv, s). Hand over the socket and the error:
lesson.check(s, err).]],
  hints = {
    [[for i = 1, 10 do ip.link('add', {ifname = 'b' .. i, kind = 'bridge'}) end]],
    [[err.code is 'ENOBUFS' when the kernel dropped notifications; the next s:recv() goes on
with what is still in the buffer.]],
    [[nl.events{'link'} reads ahead into a backlog of its own and reports a loss as an event
with overrun = true; the lesson takes that too: lesson.check(s, ev).]],
  },
  setup = function(k) k.veth() end,
  check = function(k, sock, err)
    if type(sock) ~= 'table' or sock.kind ~= 'socket' or sock.closed then
      return false, 'hand over the (open) socket and the error: lesson.check(s, err); you handed over ' ..
        k.what(sock) .. '.'
    end
    local joined = false
    for _, g in ipairs(sock.groups) do joined = joined or g == RTNLGRP_LINK end
    if not joined then
      return false, 'the kernel says that socket is in no link group: it hears no link notifications.'
    end
    local made = 0
    for i = 1, 10 do if k.link('b' .. i) then made = made + 1 end end
    local overrun = type(err) == 'table' and (err.code == 'ENOBUFS' or err.overrun == true)
    if not overrun then
      return false, ('you handed over %s, not an ENOBUFS error.\nThe kernel says the socket\'s ' ..
        'receive buffer is %d bytes, and shows %d of the bridges b1 ... b10.')
        :format(k.what(err), sock.rcvbuf, made)
    end
    return true, ('the kernel dropped notifications for your socket (its receive buffer: %d bytes),\n' ..
      'yet it shows %d of the bridges b1 ... b10: the changes were made, only their news was lost.\n' ..
      'Dump the links again to know where things stand.'):format(sock.rcvbuf, made)
  end,
  solution = [=[
local s = nl.socket('route', {groups = {'link'}, rcvbuf = 1024})
for i = 1, 10 do ip.link('add', {ifname = 'b' .. i, kind = 'bridge'}) end
local ok, err = pcall(s.recv, s)
]=],
  check_with = 'lesson.check(s, err)',
  mistake = [=[
local s = nl.socket('route', {groups = {'link'}})
for i = 1, 10 do ip.link('add', {ifname = 'b' .. i, kind = 'bridge'}) end
local ok, err = pcall(s.recv, s)
]=],
  mistake_says = 'not an ENOBUFS error',
}
