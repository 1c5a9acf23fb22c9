-- dump_links.lua: list the links of the namespace with a raw RTM_GETLINK dump.
--
--   nlsh --netns demo scripts/dump_links.lua

local s = nl.socket('route')
local req = rtnl.ifinfomsg()
req.header.type = RTM_GETLINK
req.header.flags = NLM_F_REQUEST + NLM_F_DUMP

for _, link in ipairs(s:request(req)) do
  local kind = link:get('IFLA_LINKINFO', 'IFLA_INFO_KIND') or '-'
  local state = bit.btest(link.flags, IFF_UP) and 'UP' or 'DOWN'
  print(('%d\t%s\t%s\t%s\tmtu %d\t%s'):format(link.index, link:get('IFLA_IFNAME'), kind, state,
    link:get('IFLA_MTU'), link:get('IFLA_ADDRESS') or ''))
end
s:close()
