package iproute

import lua "github.com/yuin/gopher-lua"

// ip.dump(): everything the namespace holds, as pyroute2's dump: its
// links, addresses, neighbours (bridge forwarding entries too), routes
// and rules, of every family, in one list in that order.

// dumpAll is ip.dump().
func (i *ipInst) dumpAll(L *lua.LState) int {
	if L.GetTop() > 0 {
		L.RaiseError("ip.dump takes no arguments (filter with ip.links, ip.addrs, ip.neighs, ip.routes, ip.rules)")
	}
	out := L.NewTable()
	for _, get := range []ipFunc{(*ipInst).links, (*ipInst).addrs, (*ipInst).neighs, (*ipInst).routes, (*ipInst).rules} {
		get(i, L)
		list := L.Get(-1).(*lua.LTable)
		L.Pop(1)
		for j := 1; j <= list.Len(); j++ {
			out.Append(list.RawGetInt(j))
		}
	}
	L.Push(out)
	return 1
}
