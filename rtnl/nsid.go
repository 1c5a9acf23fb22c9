package rtnl

import "nlsh/engine"

// Namespace ids: struct rtgenmsg and the NETNSA_* attributes
// (linux/net_namespace.h) of RTM_NEWNSID, RTM_DELNSID and RTM_GETNSID. An
// id names, in one namespace, another namespace (ip netns list-id): the
// ids a link's IFLA_LINK_NETNSID and IFLA_TARGET_NETNSID refer to.

// NsidAttrs is the NETNSA_* set of namespace id messages.
var NsidAttrs = engine.NewAttrSet("netnsa_attrs", "NETNSA_",
	routeDoc(attr("NETNSA_NSID", 1, engine.S32), "the id; -1 is none assigned (in RTM_NEWNSID: let the kernel pick one)"),
	routeDoc(attr("NETNSA_PID", 2, engine.U32), "the namespace of this process"),
	routeDoc(attr("NETNSA_FD", 3, engine.U32), "the namespace of this file descriptor"),
	routeDoc(attr("NETNSA_TARGET_NSID", 4, engine.S32), "answer in the namespace of this id"),
	routeDoc(attr("NETNSA_CURRENT_NSID", 5, engine.S32), "the id the asker's namespace has in the target's"),
)

// NsidClass is the namespace id message (pyroute2's nsidmsg).
var NsidClass = &engine.Class{
	Name:    "rtgenmsg",
	Aliases: []string{"nsidmsg"},
	Struct:  engine.NewStruct("rtgenmsg", fe("family", engine.U8, Families)),
	Attrs:   NsidAttrs,
	Doc:     "network namespace id (RTM_NEWNSID, RTM_DELNSID, RTM_GETNSID)",
	Brief:   []string{"NETNSA_NSID", "NETNSA_PID", "NETNSA_FD", "NETNSA_CURRENT_NSID"},
}
