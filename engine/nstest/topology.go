package nstest

import (
	"os/exec"
	"strings"
	"testing"
)

// Run runs a command inside the namespace (`ip netns exec ns …`), failing
// the test with its output on error. It is for fixtures that need tools
// other than ip, such as tc.
func Run(t testing.TB, ns string, args ...string) string {
	t.Helper()
	argv := append([]string{"netns", "exec", ns}, args...)
	out, err := exec.Command("ip", argv...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return string(out)
}

// Topology fills ns with one of every object nlsh describes that this kernel
// has: a veth pair, a bridge with a port, a macvlan, a vxlan, a tun device,
// IPv4 and IPv6 addresses, routes with metrics, a multipath route, IPv4 and
// IPv6 neighbours, a rule, and traffic control (an htb qdisc with a class and
// a u32 filter, tbf, pfifo, clsact).
func Topology(t testing.TB, ns string) {
	t.Helper()
	for _, c := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "add", "br0", "type", "bridge"},
		{"link", "set", "v1", "master", "br0"},
		{"link", "add", "mv0", "link", "v0", "type", "macvlan", "mode", "bridge"},
		{"link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1"},
		{"tuntap", "add", "tun0", "mode", "tun"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"link", "set", "br0", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2", "mtu", "1400", "advmss", "1360"},
		{"route", "add", "10.9.0.0/16", "nexthop", "via", "10.0.0.2", "weight", "1", "nexthop", "via", "10.0.0.3", "weight", "2"},
		{"-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "metric", "100"},
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:06", "dev", "v0"},
		{"rule", "add", "from", "10.0.0.0/24", "table", "100", "priority", "100"},
	} {
		IP(t, ns, c...)
	}
	for _, c := range [][]string{
		{"tc", "qdisc", "add", "dev", "v0", "root", "handle", "1:", "htb", "default", "10"},
		{"tc", "class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit", "ceil", "2mbit"},
		{"tc", "filter", "add", "dev", "v0", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "dst", "10.0.0.2/32", "flowid", "1:10"},
		{"tc", "qdisc", "add", "dev", "v1", "root", "tbf", "rate", "1mbit", "burst", "32kbit", "latency", "400ms"},
		{"tc", "qdisc", "add", "dev", "br0", "root", "pfifo", "limit", "100"},
		{"tc", "qdisc", "add", "dev", "mv0", "clsact"},
	} {
		Run(t, ns, c...)
	}
}
