package rtnl

import "nlsh/engine"

// Addresses: struct ifaddrmsg and the IFA_* attributes (linux/if_addr.h).

// addrFlags names ifa_flags and IFA_FLAGS (IFA_F_*). IFA_F_TEMPORARY is the
// IPv6 name of IFA_F_SECONDARY.
var addrFlags = &engine.Enum{Name: "ifa_flags", Flags: true, Values: []engine.EnumValue{
	ev("IFA_F_SECONDARY", 0x01), ev("IFA_F_TEMPORARY", 0x01),
	ev("IFA_F_NODAD", 0x02), ev("IFA_F_OPTIMISTIC", 0x04), ev("IFA_F_DADFAILED", 0x08),
	ev("IFA_F_HOMEADDRESS", 0x10), ev("IFA_F_DEPRECATED", 0x20), ev("IFA_F_TENTATIVE", 0x40),
	ev("IFA_F_PERMANENT", 0x80), ev("IFA_F_MANAGETEMPADDR", 0x100),
	ev("IFA_F_NOPREFIXROUTE", 0x200), ev("IFA_F_MCAUTOJOIN", 0x400),
	ev("IFA_F_STABLE_PRIVACY", 0x800),
}}

// addrProtocols names IFA_PROTO (IFAPROT_*).
var addrProtocols = engine.NewEnum("ifa_proto", engine.Seq(0,
	"IFAPROT_UNSPEC", "IFAPROT_KERNEL_LO", "IFAPROT_KERNEL_RA", "IFAPROT_KERNEL_LL")...)

// addrLifetimes names the lifetime that never ends, which ip shows as
// "forever". The kernel keeps the name out of its uAPI headers
// (INFINITY_LIFE_TIME, include/net/addrconf.h).
var addrLifetimes = &engine.Enum{Name: "ifa_lifetime", Values: []engine.EnumValue{ev("INFINITY_LIFE_TIME", 0xFFFFFFFF)}}

// addrCacheInfo is struct ifa_cacheinfo (IFA_CACHEINFO).
var addrCacheInfo = engine.NewStruct("ifa_cacheinfo",
	c("ifa_prefered", fe("ifa_preferred", engine.U32, addrLifetimes)), // pyroute2's spelling, and the kernel's
	fe("ifa_valid", engine.U32, addrLifetimes),
	f("cstamp", engine.U32),
	f("tstamp", engine.U32),
)

// AddrAttrs is the IFA_* set of address messages.
var AddrAttrs = &engine.AttrSet{Name: "ifaddrmsg_attrs", Prefix: "IFA_", Attrs: []*engine.AttrDesc{
	{Name: "IFA_ADDRESS", Type: 1, Kind: engine.IP, Doc: "prefix address; the peer address on point-to-point links"},
	{Name: "IFA_LOCAL", Type: 2, Kind: engine.IP, Doc: "local address"},
	attr("IFA_LABEL", 3, engine.Asciiz),
	attr("IFA_BROADCAST", 4, engine.IP),
	attr("IFA_ANYCAST", 5, engine.IP),
	{Name: "IFA_CACHEINFO", Type: 6, Kind: engine.Struct, Struct: addrCacheInfo, Doc: "lifetimes in seconds, timestamps in hundredths of seconds"},
	attr("IFA_MULTICAST", 7, engine.IP),
	{Name: "IFA_FLAGS", Type: 8, Kind: engine.U32, Enum: addrFlags, Doc: "all address flags; supersedes ifa_flags"},
	{Name: "IFA_RT_PRIORITY", Type: 9, Kind: engine.U32, Doc: "metric of the prefix route"},
	{Name: "IFA_TARGET_NETNSID", Type: 10, Kind: engine.S32, Doc: "dump addresses of another network namespace"},
	{Name: "IFA_PROTO", Type: 11, Kind: engine.U8, Enum: addrProtocols, Doc: "originator of the address"},
}}

// AddrClass is the address message (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR).
var AddrClass = &engine.Class{
	Name: "ifaddrmsg",
	Struct: engine.NewStruct("ifaddrmsg",
		c("ifa_family", fe("family", engine.U8, Families)),
		c("ifa_prefixlen", f("prefixlen", engine.U8)),
		c("ifa_flags", fe("flags", engine.U8, addrFlags)),
		c("ifa_scope", fe("scope", engine.U8, Scopes)),
		c("ifa_index", f("index", engine.U32)),
	),
	Attrs: AddrAttrs,
	Doc:   "interface address",
	Brief: []string{"index", "IFA_LABEL", "family", "IFA_LOCAL|IFA_ADDRESS/prefixlen", "scope"},
}

// AddrEnums lists the enums of address messages; Scopes is in RouteEnums.
var AddrEnums = []*engine.Enum{addrFlags, addrProtocols, addrLifetimes}
