-- The kit every lesson's setup and check receive as k: helpers that ask the
-- kernel of the lesson's namespace. They run in a private Lua state bound to
-- that namespace, with nlsh's modules; k.state keeps what a check learned
-- for the next one, k.given what the setup returned.

local k = {}

-- veth makes the tutorial's veth pair, v0 and v1.
function k.veth()
  ip.link('add', {ifname = 'v0', kind = 'veth', peer = 'v1'})
end

-- link is the link called name as the kernel describes it now, or nil.
function k.link(name)
  return ip.links{ifname = name}[1]
end

-- link_names lists the kernel's links, sorted.
function k.link_names()
  local names = {}
  for _, l in ipairs(ip.links()) do names[#names + 1] = l:get('IFLA_IFNAME') end
  table.sort(names)
  return names
end

-- is_msg says whether v is a message handed over (of event ev, if given).
function k.is_msg(v, ev)
  return type(v) == 'table' and type(v.header) == 'table' and v.event ~= nil and (ev == nil or v.event == ev)
end

-- what says in a few words what was handed over.
function k.what(v)
  if v == nil then return 'nothing' end
  if type(v) ~= 'table' then return ('the %s %s'):format(type(v), tostring(v)) end
  if v.kind == 'socket' then return 'a socket' end
  if v.kind == 'error' then return ('an error value (%s)'):format(tostring(v.code)) end
  if v.kind then return 'a ' .. v.kind end
  if v.header then return 'a message, ' .. tostring(v.event) end
  if k.is_msg(v[1]) then return ('a list of %d messages'):format(#v) end
  return ('a table of %d entries'):format(#v)
end

-- errnos names the errors the lessons meet.
local errnos = {[1] = 'EPERM', [2] = 'ENOENT', [16] = 'EBUSY', [17] = 'EEXIST', [19] = 'ENODEV',
  [22] = 'EINVAL', [34] = 'ERANGE', [95] = 'EOPNOTSUPP', [105] = 'ENOBUFS'}

-- errno says an error code as the kernel sends it and by name: "-22 (EINVAL)".
function k.errno(n)
  local name = errnos[math.abs(n)]
  return name and ('%d (%s)'):format(n, name) or tostring(n)
end

-- has says whether the header of message m carries flag.
function k.has(m, flag)
  return bit.btest(m.header.flags, flag)
end

-- messages returns the messages of a handed-over list (nil if v is none).
function k.messages(v)
  if type(v) ~= 'table' or v.header or v.kind then return nil end
  local out = {}
  for _, m in ipairs(v) do
    if not k.is_msg(m) then return nil end
    out[#out + 1] = m
  end
  return out
end

-- same_set says whether two lists hold the same strings, in any order.
function k.same_set(a, b)
  if #a ~= #b then return false end
  local seen = {}
  for _, x in ipairs(a) do seen[x] = (seen[x] or 0) + 1 end
  for _, x in ipairs(b) do
    if not seen[x] or seen[x] == 0 then return false end
    seen[x] = seen[x] - 1
  end
  return true
end

-- list joins strings for a message, shortening a long list.
function k.list(xs, max)
  max = max or 8
  if #xs <= max then return table.concat(xs, ', ') end
  local head = {}
  for i = 1, max do head[i] = xs[i] end
  return table.concat(head, ', ') .. (' and %d more'):format(#xs - max)
end

-- group_names turns group numbers into RTNLGRP_* names.
function k.group_names(groups)
  local names = {}
  for _, g in ipairs(groups or {}) do
    local name = tostring(g)
    for _, n in ipairs({'RTNLGRP_LINK', 'RTNLGRP_NEIGH', 'RTNLGRP_IPV4_IFADDR', 'RTNLGRP_IPV4_ROUTE',
                        'RTNLGRP_IPV6_IFADDR', 'RTNLGRP_IPV6_ROUTE'}) do
      if _G[n] == g then name = n end
    end
    names[#names + 1] = name
  end
  return names
end

return k
