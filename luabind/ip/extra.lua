-- Monitoring and batching: ip.monitor(groups, fn) and ip.batch(fn).
local IP, U = ...

-- Short names ip.monitor accepts, as `ip monitor` has them, mapped to the
-- rtnetlink multicast groups (rtnl.MonitorAliases).
local groups = U.native.monitor_aliases()

-- monitor(groups, fn [, opts]) calls fn(ev) for every notification of the
-- groups ('link', 'addr', 'route', 'neigh', 'rule', 'tc', or any rtnetlink
-- group name such as 'ipv4-ifaddr') until fn returns false or Ctrl-C. An
-- overrun (the kernel dropped notifications) arrives as {overrun=true}; dump
-- again to resynchronise. opts: rcvbuf, backlog, timeout (seconds of quiet
-- that end the monitor), as nl.events takes them.
function IP.monitor(self, list, fn, opts)
  if type(list) == 'string' then list = {list} end
  if type(list) ~= 'table' or type(fn) ~= 'function' then
    error('ip.monitor: usage ip.monitor({"link", "addr", …}, function(ev) … end [, opts])', 2)
  end
  opts = U.check('ip.monitor', opts, U.keys({'rcvbuf', 'backlog', 'timeout'}))
  local expanded = {}
  for _, g in ipairs(list) do
    for _, name in ipairs(groups[g] or {g}) do expanded[#expanded + 1] = name end
  end
  local events, close = nl.events(expanded, {rcvbuf = opts.rcvbuf, backlog = opts.backlog,
    timeout = opts.timeout, netns = self._netns})
  -- Close the subscription however the loop ends: fn returning false, an
  -- error in fn, Ctrl-C.
  local ok, err = U.native.pcall('ip.monitor', function()
    for ev in events do
      if fn(ev) == false then break end
    end
  end)
  close()
  if not ok then error(err, 0) end
end

-- batch(fn) runs fn with every request the ip verbs make going into a
-- batch (s:batch) instead of being sent and acknowledged one by one: the
-- requests leave packed many to a datagram while fn builds the next ones,
-- and every acknowledgement is checked. The batch has a socket of its own,
-- so verbs inside fn can still look things up (an interface by name); Go
-- (native.batch) opens and closes it and sets self._batch, which U.send
-- reads. If fn raises, the requests queued before are still sent and fn's
-- error is raised; otherwise, if any request failed, the first failure's
-- error value is raised, saying which request it was (index) and how many
-- failed, and how many were applied. It returns the number of requests.
-- Cut short (Ctrl-C, a socket failure) it raises an error value whose
-- applied says how many requests the kernel applied.
function IP.batch(self, fn)
  if type(fn) ~= 'function' then error('ip.batch: usage ip.batch(function() … end)', 2) end
  local results, failed = U.native.batch(self, fn)
  if failed > 0 then
    for i, r in ipairs(results) do
      if r ~= true then
        if type(r) == 'table' then
          r.index, r.failed, r.applied = i, failed, #results - failed
          r.line = ('ip.batch: request %d of %d failed (%d failed in all): %s'):format(i, #results, failed, r.line)
        end
        error(r, 0)
      end
    end
  end
  return #results
end
