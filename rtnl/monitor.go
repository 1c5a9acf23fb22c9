package rtnl

import "sort"

// MonitorAliases are the short names `ip monitor` (and nlsh's ip.monitor
// and --monitor) give groups of rtnetlink multicast groups: both address
// families where there are two.
var MonitorAliases = map[string][]string{
	"link": {"link"}, "addr": {"ipv4-ifaddr", "ipv6-ifaddr"}, "address": {"ipv4-ifaddr", "ipv6-ifaddr"},
	"route": {"ipv4-route", "ipv6-route"}, "neigh": {"neigh"}, "rule": {"ipv4-rule", "ipv6-rule"},
	"tc": {"tc"}, "netconf": {"ipv4-netconf", "ipv6-netconf"}, "nsid": {"nsid"}, "nexthop": {"nexthop"},
}

// MonitorNames lists every name a monitor takes, sorted: the aliases and
// the groups' own short names.
func MonitorNames() []string {
	seen := map[string]bool{}
	for a := range MonitorAliases {
		seen[a] = true
	}
	for _, g := range Route.Groups {
		seen[g.Name] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
