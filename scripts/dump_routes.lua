-- dump_routes.lua [TABLE]: list the IPv4 and IPv6 routes of a table (main by
-- default) with a raw RTM_GETROUTE dump. Strict checking lets the kernel
-- filter by table.
--
--   nlsh --netns demo scripts/dump_routes.lua 254

local table_id = tonumber(arg[1] or RT_TABLE_MAIN)
local s = nl.socket('route')

for _, family in ipairs({AF_INET, AF_INET6}) do
  local req = rtnl.rtmsg{family = family}
  req.header.type = RTM_GETROUTE
  req.header.flags = NLM_F_REQUEST + NLM_F_DUMP
  req.attrs = {{'RTA_TABLE', table_id}}
  for _, r in ipairs(s:request(req)) do
    local dst = r:get('RTA_DST')
    dst = dst and (dst .. '/' .. r.dst_len) or 'default'
    local via = r:get('RTA_GATEWAY')
    local line = dst
    if via then line = line .. ' via ' .. via end
    local oif = r:get('RTA_OIF')
    if oif then line = line .. ' oif ' .. oif end
    for i, nh in ipairs(r:get('RTA_MULTIPATH') or {}) do
      line = line .. (' nexthop#%d via %s oif %d weight %d'):format(i, nh:get('RTA_GATEWAY') or '-', nh.oif, nh.hops + 1)
    end
    print(line)
  end
end
s:close()
