-- add_address.lua IFNAME ADDRESS/PREFIXLEN
--
-- The example from pyroute2's netlink guide, done by hand in Lua: find the
-- interface's index, build an RTM_NEWADDR message field by field, encode it,
-- send it and wait for the kernel's acknowledgement.
--
--   nlsh --netns demo scripts/add_address.lua v0 10.0.0.1/24

local ifname, cidr = arg[1], arg[2]
if not ifname or not cidr then
  error('usage: add_address.lua IFNAME ADDRESS/PREFIXLEN', 0)
end
local address, prefixlen = cidr:match('^([^/]+)/(%d+)$')
if not address then
  error('address must look like 10.0.0.1/24 or 2001:db8::1/64, got ' .. cidr, 0)
end
local family = address:find(':') and AF_INET6 or AF_INET

local s = nl.socket('route')

-- Ask the kernel for the link by name to learn its index.
local get = rtnl.ifinfomsg()
get.header.type = RTM_GETLINK
get.header.flags = NLM_F_REQUEST
get.attrs = {{'IFLA_IFNAME', ifname}}
local link = s:request(get)[1]

-- The request itself, exactly as pyroute2's guide builds it.
local msg = rtnl.ifaddrmsg()
msg.index = link.index
msg.family = family
msg.prefixlen = tonumber(prefixlen)
msg.scope = 0
msg.attrs = {{'IFA_LOCAL', address}, {'IFA_ADDRESS', address}}
msg.header.type = RTM_NEWADDR
msg.header.flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_CREATE + NLM_F_EXCL
msg.header.sequence_number = 1
msg.header.pid = 0

local data = msg:encode()   -- the exact bytes that go to the kernel
s:send(data)
local replies = s:recv()    -- the acknowledgement: an NLMSG_ERROR with error 0
nl.check(replies, data)     -- raise the kernel's error, if it sent one
s:close()
print(('added %s/%s to %s (index %d)'):format(address, prefixlen, ifname, link.index))
