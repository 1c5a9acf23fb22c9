-- Lesson 2: alignment and padding. The learner writes two attributes as
-- bytes, with their lengths and padding; the check reads v0's alias and
-- MTU from the kernel, and explains the bytes when handed them.
return {
  title = 'Alignment and padding',
  concept = 'nla_len leaves the padding out; every attribute starts on 4 bytes',
  section = '2 Attributes',
  task = [[
An attribute is a 4-byte header (nla_len, then nla_type, each a little-endian u16) and
its payload. nla_len counts the header and the payload but not the padding that follows
it: the next attribute starts at the next multiple of 4.

Task: in one RTM_NEWLINK for v0, set its alias to "hello" and its MTU to 1300, with the
two attributes written as bytes by you:
  IFLA_IFALIAS (type 20): "hello" and its NUL, 6 bytes;
  IFLA_MTU (type 4): 1300 as a little-endian u32.
Start from m:encode() of an ifinfomsg for v0 with flags NLM_F_REQUEST and NLM_F_ACK (32
bytes, no attributes), append your attributes, and write the new total into nlmsg_len
(the first 4 bytes). Send the bytes with s:send(b) and read the answer with s:recv().
Then lesson.check(b): the check asks the kernel, and shows your bytes if it is not done.]],
  hints = {
    [[Lua 5.1 has no string.pack: string.char(n % 256, math.floor(n / 256)) is a u16,
and u16(n % 65536) .. u16(math.floor(n / 65536)) a u32.]],
    [[An attribute is u16(4 + #payload) .. u16(type) .. payload, then
string.rep('\0', (4 - (4 + #payload) % 4) % 4) to reach a multiple of 4.]],
    [[nl.explain(b) prints your bytes as the kernel reads them: every attribute's nla_len,
nla_type and payload, and any padding between them.]],
  },
  setup = function(k) k.veth() end,
  check = function(k, b)
    local v0 = k.link('v0')
    local alias, mtu = v0:get('IFLA_IFALIAS'), v0:get('IFLA_MTU')
    if alias == 'hello' and mtu == 1300 then
      return true, 'the kernel shows v0 with alias "hello" and mtu 1300: "hello\\0" is 6 bytes,\n' ..
        'so IFLA_IFALIAS has nla_len 10 and 2 bytes of padding, and IFLA_MTU starts 12 bytes later.'
    end
    local shows = ('the kernel shows v0 with alias %s and mtu %d.'):format(
      alias and ('"' .. alias .. '"') or 'none', mtu)
    if mtu == 1500 and alias == 'hello' then
      shows = shows .. '\nIFLA_MTU never arrived where the kernel looked for it: after IFLA_IFALIAS it\n' ..
        'skips nla_len rounded up to 4, so the padding must be there.'
    end
    if type(b) == 'string' and #b >= 16 then
      shows = shows .. '\nYour bytes, as the kernel reads them:\n' .. nl.explain(b, {text = true})
    elseif b == nil then
      shows = shows .. '\nlesson.check(b) with your bytes shows them as the kernel reads them.'
    end
    return false, shows
  end,
  solution = [=[
local function u16(n) return string.char(n % 256, math.floor(n / 256) % 256) end
local function u32(n) return u16(n % 65536) .. u16(math.floor(n / 65536)) end
local function attr(typ, payload)
  local len = 4 + #payload
  return u16(len) .. u16(typ) .. payload .. string.rep('\0', (4 - len % 4) % 4)
end
local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
m.header.type = RTM_NEWLINK
m.header.flags = NLM_F_REQUEST + NLM_F_ACK
local b = m:encode() .. attr(20, 'hello\0') .. attr(4, u32(1300))
b = u32(#b) .. b:sub(5)
local s = nl.socket('route')
s:send(b)
local ack = s:recv()[1]
]=],
  check_with = 'lesson.check(b)',
  mistake = [=[
local function u16(n) return string.char(n % 256, math.floor(n / 256) % 256) end
local function u32(n) return u16(n % 65536) .. u16(math.floor(n / 65536)) end
local function attr(typ, payload)
  return u16(4 + #payload) .. u16(typ) .. payload  -- no padding
end
local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
m.header.type = RTM_NEWLINK
m.header.flags = NLM_F_REQUEST + NLM_F_ACK
local b = m:encode() .. attr(20, 'hello\0') .. attr(4, u32(1300))
b = u32(#b) .. b:sub(5)
local s = nl.socket('route')
s:send(b)
local ack = s:recv()[1]
]=],
  mistake_says = 'alias "hello" and mtu 1500',
}
