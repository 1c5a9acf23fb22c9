-- Lesson 7: extended acknowledgements. The setup builds a request with one
-- malformed attribute, chosen at random; the learner finds it from the
-- offset the kernel reports; the check sends the request and compares.
return {
  title = 'Extended ACK',
  concept = 'NLMSGERR_ATTR_MSG and NLMSGERR_ATTR_OFFS: the kernel says why, and where',
  section = '5 Errors and extended acknowledgements',
  task = [[
With NETLINK_EXT_ACK on (nlsh turns it on) an error carries attributes of its own: a
message (NLMSGERR_ATTR_MSG) and the byte offset, from the start of your request, of the
attribute the kernel objects to (NLMSGERR_ATTR_OFFS).

lesson.given.request is an RTM_NEWLINK for v0 with four attributes, one of them
malformed. Task: send it, local ok, err = pcall(s.request, s, lesson.given.request),
and find which attribute err.offset points at by walking the request's bytes yourself:
the header is 16 bytes, the ifinfomsg 16, and each attribute takes nla_len rounded up
to a multiple of 4. (err.attr would tell you; work it out, then compare.) Hand over
its name: lesson.check('IFLA_...').]],
  hints = {
    [[nl.explain(err.request) prints the request with every offset; nl.explain(err.request,
{mark = err.offset}) marks the spot.]],
    [[The first attribute starts at offset 32. err.request:encode():byte(o + 1) is the byte
at offset o (Lua counts from 1); nla_len is byte(o + 1) + 256 * byte(o + 2).]],
    [[The n-th attribute you reach is err.request.attrs[n], a {name, value} pair.]],
  },
  setup = function(k)
    local names = {'IFLA_TXQLEN', 'IFLA_GROUP', 'IFLA_MTU'}
    math.randomseed(os.time() + tonumber(k.ns:match('(%x+)$'), 16))
    local broken = names[math.random(#names)]
    local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
    m.header.type = RTM_NEWLINK
    m.header.flags = NLM_F_REQUEST + NLM_F_ACK
    m.attrs = {{'IFLA_IFALIAS', 'lesson'}}
    for _, n in ipairs(names) do
      m.attrs[#m.attrs + 1] = {n, n == broken and nl.raw('\1\0') or 1000}
    end
    return {request = m}
  end,
  check = function(k, name)
    if type(name) ~= 'string' then
      return false, 'hand over the attribute\'s name, a string: lesson.check(\'IFLA_...\'); you handed over ' ..
        k.what(name) .. '.'
    end
    local s = nl.socket('route')
    local ok, err = pcall(s.request, s, k.given.request)
    s:close()
    if ok then return false, 'the kernel accepted the request: that should not be.' end
    local req = k.given.request:encode()
    local off, i = 32, 1
    while off < #req do
      local len = req:byte(off + 1) + 256 * req:byte(off + 2)
      local attr = k.given.request.attrs[i][1]
      if attr == name then
        if off == err.offset then
          return true, ('the kernel says "%s" at offset %d,\n' ..
            'where %s starts: its attribute header, then a 2-byte payload where the policy\n' ..
            'wants a u32.'):format(err.ext_ack, err.offset, name)
        end
        return false, ('the kernel\'s offset is %d; %s starts at offset %d.'):format(err.offset, name, off)
      end
      off, i = off + 4 * math.ceil(len / 4), i + 1
    end
    return false, ('the request has no attribute %s; the kernel\'s offset is %d.'):format(name, err.offset)
  end,
  solution = [=[
local s = nl.socket('route')
local ok, err = pcall(s.request, s, lesson.given.request)
local b = err.request:encode()
local off, i, found = 32, 1, nil
while off < #b do
  if off == err.offset then found = err.request.attrs[i][1] end
  local len = b:byte(off + 1) + 256 * b:byte(off + 2)
  off, i = off + 4 * math.ceil(len / 4), i + 1
end
]=],
  check_with = 'lesson.check(found)',
  mistake = [=[
local s = nl.socket('route')
local ok, err = pcall(s.request, s, lesson.given.request)
local found = 'IFLA_IFALIAS'
]=],
  mistake_says = 'IFLA_IFALIAS starts at offset 32',
}
