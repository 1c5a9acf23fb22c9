-- ip: pyroute2 IPRoute's verbs for Lua, built on nl and rtnl.
--
-- Every verb builds an ordinary message table, the same you could build by
-- hand, and sends it with U.send (as s:request does). Pass {dry=true} to get the message back
-- unsent (print it to see what a verb does), {echo=true} to get the object the
-- kernel created. ip.netns('name') returns the same API bound to another
-- network namespace.
--
-- This file holds what all verbs share; ip/link.lua, ip/addr.lua, … add the
-- verbs for each kind of object.

local load, default_netns, native = ...

local IP = {}      -- verbs: IP.link(self, cmd, spec), …; bound per namespace
local U = {}       -- helpers shared by the parts
U.native = native  -- the parts written in Go: route (ip.route's changes), route_value

-- Options every verb and getter accepts besides its own keys: timeout
-- bounds the wait for the kernel's reply (seconds; see s:request).
U.common = {dry = true, echo = true, timeout = true}

-- check raises "fname: unknown key 'k' (did you mean 'x'?)" for a key of
-- spec that is not in valid (a set of names) nor a common option; it returns
-- spec, or an empty table for nil. (Go, as ip.route's own check.)
function U.check(fname, spec, valid)
  return native.check(fname, spec, valid, U.common)
end

-- keys builds a set from a list of names, merging further sets.
function U.keys(list, ...)
  local s = {}
  for _, k in ipairs(list) do s[k] = true end
  for _, more in ipairs({...}) do for k in pairs(more) do s[k] = true end end
  return s
end

-- verb checks cmd against the verbs an object has.
function U.verb(fname, cmd, verbs)
  if not verbs[cmd] then
    local names = {}
    for n in pairs(verbs) do names[#names + 1] = n end
    table.sort(names)
    error(("%s: unknown command '%s' (commands: %s)"):format(fname, tostring(cmd), table.concat(names, ', ')), 3)
  end
end

local REQ_ACK = bit.bor(NLM_F_REQUEST, NLM_F_ACK)
U.flags = {
  add = bit.bor(REQ_ACK, NLM_F_CREATE, NLM_F_EXCL),
  replace = bit.bor(REQ_ACK, NLM_F_CREATE, NLM_F_REPLACE),
  append = bit.bor(REQ_ACK, NLM_F_CREATE, NLM_F_APPEND),
  set = REQ_ACK,
  del = REQ_ACK,
  get = NLM_F_REQUEST,
  dump = bit.bor(NLM_F_REQUEST, NLM_F_DUMP),
}

-- msg builds a message of class with a header type and flags.
function U.msg(class, type_, flags, fields)
  local m = rtnl[class](fields)
  m.header.type = type_
  m.header.flags = flags
  return m
end

-- socket opens the instance's route socket on first use.
function U.socket(self)
  if not self._sock then
    self._sock = nl.socket('route', {netns = self._netns})
  end
  return self._sock
end

-- netns returns the namespace v names (as nl.socket's netns option takes
-- it), or raises an error naming what: a value that names none never means
-- nlsh's own namespace. For verbs: rethrow adds the caller's line.
function U.netns(what, v)
  local ns, err = native.netns(what, v)
  if not ns then error(err, 0) end
  return ns
end

-- send sends msg (a message table, or the bytes of one) unless spec.dry,
-- which returns it unsent; with spec.echo it asks for the created object
-- back and returns it, else the replies. Inside ip.batch the message joins
-- the batch instead. (Go: every verb's message passes here.)
function U.send(self, msg, spec)
  return native.send(self, msg, spec, U.socket)
end

-- dump sends a dump request and filters the replies (filter's timeout, if
-- any, bounds the wait).
function U.dump(self, msg, filter, match)
  local replies = U.fetch(self, msg, filter)
  if filter == nil then return replies end
  local out = {}
  for _, m in ipairs(replies) do
    if match(m, filter) then out[#out + 1] = m end
  end
  return out
end

-- fetch sends a dump request and returns every reply; opts.timeout, if
-- opts is a table, bounds the wait. A dump the kernel flags as interrupted
-- by concurrent changes (NLM_F_DUMP_INTR) is fetched again, a few times,
-- with growing pauses; if it never comes whole, the last result is
-- returned with a warning on standard error, as iproute2 does. (Go.)
function U.fetch(self, msg, opts)
  return native.dump(self, msg, type(opts) == 'table' and opts.timeout or nil, U.socket)
end

-- matcher returns a function testing a message against a filter table whose
-- keys are the class's field names or attribute short names (prefix
-- stripped, lower case: ifname for IFLA_IFNAME); special maps a key to its
-- own test. A function filter is used as it is.
function U.matcher(prefix, special)
  special = special or {}
  return function(m, filter)
    if type(filter) == 'function' then return filter(m) end
    for k, want in pairs(filter) do
      local test = special[k]
      if U.common[k] then
        -- an option (dry, echo, timeout), not a test
      elseif test then
        if not test(m, want) then return false end
      else
        local got = m[k]
        if got == nil then got = m:get(prefix .. k:upper()) end
        if got ~= want then return false end
      end
    end
    return true
  end
end

-- copy_filter copies a getter's filter table (the caller's stays as it was)
-- and takes the options out of it: it returns the copy and whether dry was
-- asked for.
function U.copy_filter(filter)
  local f = {}
  for k, v in pairs(filter) do f[k] = v end
  local dry = f.dry
  f.dry, f.echo = nil, nil
  return f, dry
end

-- filter_keys is the set of keys a getter's filter table may use: the
-- class's fields, its attributes' short names (IFLA_IFNAME -> ifname), and
-- the getter's own extras. Getters check filters against it, so a misspelt
-- key is an error rather than an empty result.
local filter_key_cache = {}
function U.filter_keys(class, prefix, extras)
  local keys = filter_key_cache[class]
  if not keys then
    keys = {}
    for k in pairs(rtnl[class]()) do
      if k ~= 'header' and k ~= 'attrs' then keys[k] = true end
    end
    for _, name in ipairs(rtnl.attr_names(class)) do
      if name:sub(1, #prefix) == prefix then keys[name:sub(#prefix + 1):lower()] = true end
    end
    filter_key_cache[class] = keys
  end
  local all = {}
  for k in pairs(keys) do all[k] = true end
  for _, k in ipairs(extras or {}) do all[k] = true end
  return all
end

-- ifindex turns an interface name or index into an index (through
-- IP.link_lookup), raising a clear error for a name that does not exist.
function U.ifindex(self, v, what)
  return native.ifindex(IP, self, v, what)
end

-- prefix splits '10.0.0.0/8' into address, length and family; a bare
-- address is a host route (/32 or /128). ip.route reads dst the same way.
function U.prefix(s, what)
  return native.prefix(s, what)
end

-- Parts, each adding verbs to IP, and the verbs each defines. A part is
-- compiled the first time one of its verbs is used: compiling all of them
-- would cost a script that adds routes more than its start-up.
local parts = {
  link = {'link', 'links', 'link_lookup'},
  addr = {'addr', 'addrs'},
  route = {'route', 'routes'},
  neigh = {'neigh', 'neighs', 'fdb'},
  rule = {'rule', 'rules'},
  tc = {'tc', 'tc_handle', 'qdiscs', 'classes', 'filters'},
  extra = {'monitor', 'batch'},
}
local owner = {}
for part, names in pairs(parts) do
  for _, name in ipairs(names) do owner[name] = part end
end

setmetatable(IP, {__index = function(_, name)
  local part = owner[name]
  if part == nil then return nil end
  load(part)(IP, U)
  for _, n in ipairs(parts[part]) do owner[n] = nil end   -- loaded once
  return rawget(IP, name)
end})

-- rethrow re-raises an error from a verb at the caller's line: string
-- errors lose the module's own position, error values pass unchanged.
local function rethrow(ok, ...)
  if ok then return ... end
  local e = ...
  if type(e) == 'string' then
    error((e:gsub('^ip/[%w_]+%.lua:%d+: ', '')), 3)
  end
  error(e, 0)
end

-- bind makes an instance: every verb with self filled in, so scripts call
-- ip.link(...) with a dot.
local function bind(netns)
  local inst = {_netns = netns ~= '' and netns or nil}
  for _, names in pairs(parts) do
    for _, name in ipairs(names) do
      -- native.pcall is pcall naming the verb, should a yield cross it.
      local what = 'ip.' .. name
      inst[name] = function(...) return rethrow(native.pcall(what, IP[name], inst, ...)) end
    end
  end
  -- netns(name) binds the same API to another network namespace; asking
  -- twice gives the same object (and socket).
  local bound = {}
  inst.netns = function(name)
    local ns, err = native.netns('ip.netns', name)
    if not ns then error(err, 3) end  -- gopher-lua's level 3: the caller's line
    name = ns
    if not bound[name] then bound[name] = bind(name) end
    return bound[name]
  end
  -- ip.route's changes skip the Lua layers above: the function bound is
  -- Go, building and handing the message to U.send (other commands go to
  -- the wrapper).
  inst.route = native.route_verb(IP, inst, inst.route, U.socket, U.flags)
  inst.close = function()
    if inst._sock then inst._sock:close(); inst._sock = nil end
  end
  return setmetatable(inst, {__tostring = function()
    return 'ip module (netns ' .. (inst._netns or 'current') .. ')'
  end})
end

return bind(default_netns)
