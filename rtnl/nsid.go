package rtnl

import "nlsh/engine"

// Namespace ids: struct rtgenmsg and the NETNSA_* attributes
// (linux/net_namespace.h) of RTM_NEWNSID, RTM_DELNSID and RTM_GETNSID. An
// id names, in one namespace, another namespace (ip netns list-id): the
// ids a link's IFLA_LINK_NETNSID and IFLA_TARGET_NETNSID refer to.

// NsidAttrs is the NETNSA_* set of namespace id messages.
var NsidAttrs = &engine.AttrSet{Name: "netnsa_attrs", Prefix: "NETNSA_", Attrs: []*engine.AttrDesc{
	{Name: "NETNSA_NSID", Type: 1, Kind: engine.S32, Doc: "the id; -1 is none assigned (in RTM_NEWNSID: let the kernel pick one)"},
	{Name: "NETNSA_PID", Type: 2, Kind: engine.U32, Doc: "the namespace of this process"},
	{Name: "NETNSA_FD", Type: 3, Kind: engine.U32, Doc: "the namespace of this file descriptor"},
	{Name: "NETNSA_TARGET_NSID", Type: 4, Kind: engine.S32, Doc: "answer in the namespace of this id"},
	{Name: "NETNSA_CURRENT_NSID", Type: 5, Kind: engine.S32, Doc: "the id the asker's namespace has in the target's"},
}}

// NsidClass is the namespace id message (pyroute2's nsidmsg).
var NsidClass = &engine.Class{
	Name:    "rtgenmsg",
	Aliases: []string{"nsidmsg"},
	Struct:  engine.NewStruct("rtgenmsg", fe("family", engine.U8, Families)),
	Attrs:   NsidAttrs,
	Doc:     "network namespace id (RTM_NEWNSID, RTM_DELNSID, RTM_GETNSID)",
	Brief:   []string{"NETNSA_NSID", "NETNSA_PID", "NETNSA_FD", "NETNSA_CURRENT_NSID"},
}
