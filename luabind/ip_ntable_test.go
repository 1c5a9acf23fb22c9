package luabind

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPNtables lists the neighbour tables with ip.ntables (pyroute2's
// get_ntables) and compares them with `ip -j ntable show`: each table,
// once for itself and once per device; the family asks the kernel.
func TestIPNtables(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	vals := run(t, e, `
local function names(list)
  local out = {}
  for _, m in ipairs(list) do
    local p, dev = m:get('NDTA_PARMS'), ''
    local i = p and p:get('NDTPA_IFINDEX')
    if i and i > 0 then dev = ip.link('get', {index = i}):get('IFLA_IFNAME') end
    out[#out + 1] = m:get('NDTA_NAME') .. '|' .. dev
  end
  table.sort(out)
  return table.concat(out, ' ')
end
local arp = ip.ntables{family = AF_INET, name = 'arp_cache', match = function(m) return m:get('NDTA_THRESH3') ~= nil end}
return names(ip.ntables()), names(ip.ntables{family = AF_INET6}), #arp, arp[1]:get('NDTA_THRESH3')`)
	entries := func(args ...string) string {
		var out []string
		for _, o := range ipJSON(t, ns, append(args, "ntable", "show")...) {
			dev := ""
			if d, ok := o["dev"]; ok {
				dev = jsonText(d)
			}
			out = append(out, jsonText(o["name"])+"|"+dev)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	var thresh3 string
	for _, o := range ipJSON(t, ns, "-4", "ntable", "show") {
		if _, ok := o["thresh3"]; ok {
			thresh3 = jsonText(o["thresh3"])
		}
	}
	want := []string{entries(), entries("-6"), "1", thresh3}
	if diff := cmp.Diff(want, strs(vals)); diff != "" {
		t.Errorf("ip.ntables against ip ntable show (-want +got):\n%s", diff)
	}
}
