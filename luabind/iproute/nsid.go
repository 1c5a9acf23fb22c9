package iproute

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/rtnl"
)

// Namespace ids: ip.get_netns_info(), ip.get_netnsid(spec),
// ip.set_netnsid(spec), as pyroute2 has them. An id names, in the
// instance's namespace, another namespace (`ip netns list-id`); a link
// whose other end lives elsewhere (a veth peer) says where by its
// IFLA_LINK_NETNSID.

// The nsid keys the builders read.
const (
	sNsid = iota
	sPid
	sFd
	sNetns
	sTarget
	sFriendly
)

// nsidVerb is the table of ip.get_netnsid and ip.set_netnsid.
var nsidVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.NsidClass
	return newVerb("ip.netnsid", c, "NETNSA_", nil,
		attrKey(c, "nsid", "NETNSA_NSID", vInt, useAll, "the id (set: the kernel picks one when absent)"),
		attrKey(c, "pid", "NETNSA_PID", vInt, useAll, "the namespace of this process"),
		attrKey(c, "fd", "NETNSA_FD", vInt, useAll, "the namespace of this file descriptor"),
		special("netns", "namespace name or path", useAll, "the namespace, opened for NETNSA_FD"),
		attrKey(c, "target_nsid", "NETNSA_TARGET_NSID", vInt, useAll, "get: answer in the namespace of this id"),
	)
})

// nsidMsg builds a namespace id request from the call's keys.
func (c *ipCall) nsidMsg(typ, flags uint16, name string) *ipMsg {
	h := c.m.host
	k := c.verb.keys
	c.name = name
	m := newMsg(rtnl.NsidClass, typ, flags)
	nsid := c.get(k[sNsid])
	if typ == unix.RTM_NEWNSID && (nsid == lua.LNil || lua.LVAsNumber(nsid) < 0) {
		nsid = lua.LNumber(-1) // the kernel picks
	}
	if nsid != lua.LNil {
		m.add(k[sNsid].attr, h.FromLua(nsid))
	}
	for _, x := range [...]int{sPid, sFd} {
		if v := c.get(k[x]); v != lua.LNil {
			m.add(k[x].attr, h.FromLua(v))
		}
	}
	if v := c.get(k[sNetns]); v != lua.LNil {
		ns, err := luaarg.Netns(v)
		if err != nil {
			c.L.RaiseError("%s", luaarg.NetnsError(name+": netns", err))
		}
		if n, ok := v.(lua.LNumber); ok {
			m.add(k[sPid].attr, h.FromLua(n))
		} else {
			fd, err := h.NetnsFD(ns)
			if err != nil {
				h.Raise(c.L, name, err)
			}
			m.add(k[sFd].attr, uint64(fd))
		}
	}
	if v := c.get(k[sTarget]); v != lua.LNil {
		m.add(k[sTarget].attr, h.FromLua(v))
	}
	c.applyRest(m, sFriendly)
	return m
}

// setNetnsid is ip.set_netnsid{nsid=, netns= | pid= | fd=}: gives the
// namespace an id here (RTM_NEWNSID), as `ip netns set NAME NSID`.
func (i *ipInst) setNetnsid(L *lua.LState) int {
	c := i.call(L, nsidVerb(), "set", useChange)
	defer c.done()
	c.name = "ip.set_netnsid"
	c.read(L.Get(1))
	return c.send(c.nsidMsg(unix.RTM_NEWNSID, reqAck, "ip.set_netnsid"))
}

// getNetnsid is ip.get_netnsid{netns= | pid= | fd= | nsid= [, target_nsid=]}:
// the id the namespace has here, as {nsid=, current_nsid=} (pyroute2's
// dict), or nil.
func (i *ipInst) getNetnsid(L *lua.LState) int {
	c := i.call(L, nsidVerb(), "get", useGet)
	defer c.done()
	c.name = "ip.get_netnsid"
	c.read(L.Get(1))
	m := c.nsidMsg(unix.RTM_GETNSID, engine.NLM_F_REQUEST, "ip.get_netnsid")
	if c.dry {
		L.Push(c.msgTable(m))
		return 1
	}
	h := c.m.host
	for _, r := range i.request(L, c.encode(m), c.opts) {
		if r.Header.Type != unix.RTM_NEWNSID {
			continue
		}
		t := L.CreateTable(0, 2)
		for _, f := range [...]struct{ key, attr string }{{"nsid", "NETNSA_NSID"}, {"current_nsid", "NETNSA_CURRENT_NSID"}} {
			if v, ok := r.Get(rtnl.Route, f.attr); ok {
				t.RawSetString(f.key, h.ToLua(v))
			}
		}
		L.Push(t)
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

// getNetnsInfo is ip.get_netns_info([{list_proc=true}]): every namespace
// under /run/netns (with list_proc, every process's too), each once, as
// pyroute2 returns them: {netnsid=, inode=, path=, attrs = {{'NSINFO_PATH',
// path}, {'NSINFO_PEER', name}…}} with get, where netnsid is the id it has
// here (-1: none) and the peers are the links here whose other end is
// there.
func (i *ipInst) getNetnsInfo(L *lua.LState) int {
	h := i.m.host
	listProc := false
	luaarg.Options(L, 1, "ip.get_netns_info", []string{"list_proc"}, func(k string, v lua.LValue) error {
		listProc = truthy(v)
		return nil
	})
	// The links whose peers live in another namespace, by its id.
	peers := map[int64][]string{}
	req := newMsg(rtnl.LinkClass, unix.RTM_GETLINK, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	b, err := engine.EncodeMessage(req.h, req.class, &req.rec)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	links, err := i.dump(L, b, engine.RequestOptions{})
	if err != nil {
		i.raiseDump(L, err, links)
	}
	for _, l := range links {
		id, ok := l.Get(rtnl.Route, "IFLA_LINK_NETNSID")
		name, _ := l.Get(rtnl.Route, "IFLA_IFNAME")
		if n, isInt := id.(int64); ok && isInt {
			s, _ := name.(string)
			peers[n] = append(peers[n], s)
		}
	}
	var paths []string
	if names, err := engine.ListNetNS(); err == nil {
		for _, n := range names {
			paths = append(paths, engine.NetNSPath(n))
		}
	}
	if listProc {
		dirs, _ := os.ReadDir("/proc")
		for _, d := range dirs {
			if _, err := strconv.Atoi(d.Name()); err == nil {
				paths = append(paths, filepath.Join("/proc", d.Name(), "ns", "net"))
			}
		}
	}
	out := L.NewTable()
	seen := map[uint64]bool{}
	for _, path := range paths {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		var st unix.Stat_t
		if unix.Fstat(fd, &st) != nil || seen[st.Ino] {
			unix.Close(fd)
			continue
		}
		seen[st.Ino] = true
		nsid := int64(-1)
		q := newMsg(rtnl.NsidClass, unix.RTM_GETNSID, engine.NLM_F_REQUEST)
		q.add(attrDesc(rtnl.NsidClass, "NETNSA_FD"), uint64(fd))
		qb, err := engine.EncodeMessage(q.h, q.class, &q.rec)
		if err == nil {
			if msgs, err := i.socket(L).Request(h.Context(L), qb, engine.RequestOptions{}); err == nil {
				for _, r := range msgs {
					if v, ok := r.Get(rtnl.Route, "NETNSA_NSID"); ok {
						nsid, _ = v.(int64)
					}
				}
			}
		}
		unix.Close(fd)
		t := L.CreateTable(0, 4)
		t.RawSetString("netnsid", lua.LNumber(nsid))
		t.RawSetString("inode", lua.LNumber(st.Ino))
		t.RawSetString("path", lua.LString(path))
		attrs := L.CreateTable(1+len(peers[nsid]), 0)
		p := L.CreateTable(2, 0)
		p.Append(lua.LString("NSINFO_PATH"))
		p.Append(lua.LString(path))
		attrs.Append(p)
		if nsid >= 0 {
			for _, name := range peers[nsid] {
				p := L.CreateTable(2, 0)
				p.Append(lua.LString("NSINFO_PEER"))
				p.Append(lua.LString(name))
				attrs.Append(p)
			}
		}
		t.RawSetString("attrs", attrs)
		h.Nest(t)
		out.Append(t)
	}
	L.Push(out)
	return 1
}
