package helptext

// A Usage documents one function for help() and docs/reference.md. Every
// function of nl, rtnl, bit and ip, and every message and socket method,
// has one: luabind's TestUsageCoversEveryFunction fails when a function is
// added without it.
type Usage struct {
	Name string // as scripts write it: "nl.socket", "msg:get", "sock:recv"
	Args string // the argument list, with optional parts in brackets
	Text string // what it does, in a few lines
}

// Usages is the table of every documented function, grouped by module in
// the order help() lists them.
var Usages = []Usage{
	{"help", "([x])", `Shows help about x: a module (help(nl)), a function (help(nl.socket)), a message
class (help(rtnl.ifaddrmsg)), or any name as a string: an attribute (help('IFA_LOCAL')),
a constant (help('RTM_NEWADDR')), a class, an attribute set or a value enum.
help() lists what there is.`},
	{"show", "(...)", `Prints values in full: a message one field or attribute per line with enum and flag
names beside numbers, a list of messages one after another, other tables nested with
sorted keys. The shell prints a list of messages a line each (as ip -br) and cuts long
results short; show(_) prints the last one whole.`},

	{"lesson", "([n])", `Netlink lessons that check your work against the kernel. lesson() lists them;
lesson(n) starts lesson n in a network namespace of its own (nlsh-lesson-…), sets it
up, moves the shell's default namespace there (every socket, ip verb, genl call and
completion works in it) and prints the task. Then lesson.check(...) says whether it is
done, or what the kernel shows instead (hand over what it asks for: a reply, a socket,
an error value); lesson.hint() gives a hint; lesson.task() repeats the task;
lesson.given holds what the lesson gives you; lesson.stop() deletes the namespace and
moves back. Refused under --read-only.`},

	{"nl.socket", "([proto [, options]])", `Opens a netlink socket. proto is 'route' (the default), 'generic', 'sock_diag',
'netfilter' or a protocol number. options: netns (a name under /run/netns, a path such
as /proc/PID/ns/net or a process id; when absent, the --netns namespace, else the
current one; any other value is an error), strict and ext_ack (on by default, as in
iproute2; strict checks GET requests and honours their filters), cap_ack (errors echo
only the request's header; a success ACK never echoes the payload), no_enobufs, rcvbuf
(bytes), groups (a list of multicast group names such as 'link' or numbers). See
help('socket') for its methods.`},
	{"nl.decode", "(bytes)", `Returns the list of rtnetlink messages in a buffer (as rtnl.decode).`},
	{"nl.check", "(replies [, request])", `Raises the error value of the first NLMSG_ERROR or NLMSG_DONE in replies that
carries a non-zero error, else returns replies: the errors of sock:request for a
script that uses send and recv.`},
	{"nl.raw", "(bytes)", `A value encoded as exactly these bytes, whatever the attribute's type: to send a
malformed attribute and see how the kernel answers. Prints as raw<hex ...>.`},
	{"nl.explain", "(msg_or_bytes [, options])", `Prints every byte of a message (a table or wire bytes) with what it is: header
fields, struct fields, attribute headers and values. options.mark flags a byte offset
(an error value's offset); options.text = true returns the text instead of printing;
options.boxes = true draws the message as the kernel's netlink documentation does: the
header, the fixed struct and every attribute a box, nests inside their attribute's box.`},
	{"nl.trace", "([mode])", `Shows every message sent and received: true or 'compact' (one line each), 'explain'
(every byte), false or 'off'. Returns the previous mode.`},
	{"nl.events", "(groups [, options])", `An iterator over multicast notifications, decoded:
  for ev in nl.events{'link', 'ipv4-ifaddr'} do print(ev) end
options: rcvbuf (default 4 MiB), backlog (bytes read ahead, default 32 MiB), netns (as
nl.socket's), timeout (seconds; the loop ends after that long without one).
An overrun yields {overrun=true, event='OVERRUN'}: dump again to resynchronise.
A second result closes the subscription: local events, close = nl.events{'link'}.`},
	{"nl.read_only", "([on])", `Read-only mode: nl.read_only(true) refuses from then on, before sending, every request
that would change the kernel (NEW, DEL and SET messages; generic netlink operations that
are not gets or dumps), and nl.netns.add/del, nl.tuntap, nl.pcap.open, os.execute,
io.popen and writing files. It cannot be turned off again (nlsh --read-only starts so).
Returns whether it is on.`},
	{"nl.closest", "(name, candidates)", `The candidate nearest to name by edit distance, or nil: "did you mean" hints.`},
	{"nl.json", "(value [, options])", `value as JSON text, for jq: a message as pyroute2 shapes it ({"header": …, "event": …,
its fields, "attrs": [["IFLA_IFNAME", "v0"], …]}; nla_flags as a third element
{"nla_flags": n}, nests as {"attrs": […]}, bytes as {"hex": "0a0b"}), a list of
messages as an array, other tables as arrays or objects with sorted keys. A decoded
message is written from its bytes, never materialised. Functions, userdata, cycles,
NaN and infinities are errors naming where they are. options: indent (true, a
number of spaces or a string) for pretty output. nlsh --json prints results so.`},
	{"nl.from_json", "(text)", `The Lua values of the JSON documents in text (one each: local a, b = nl.from_json(t)).
A message nl.json wrote comes back as a decoded message of the same protocol, class
and bytes: nl.from_json(nl.json(m)):encode() == m:encode(). {"hex": …} becomes an
nl.raw value; an integer beyond 2^53 a decimal string.`},
	{"nl.tuntap", "(name [, options])", `Creates a persistent tun or tap device. options: mode ('tun' or 'tap'), owner,
group, multi_queue, pi, netns (as nl.socket's).`},
	{"nl.pcap.open", "(path)", `Writes every datagram sent and received from now on to a pcap file that Wireshark
and tshark dissect (link type NETLINK).`},
	{"nl.pcap.close", "()", `Finishes the pcap file opened by nl.pcap.open.`},
	{"nl.netns.add", "(name)", `Creates a named network namespace, as ip netns add does.`},
	{"nl.netns.del", "(name)", `Deletes a named network namespace, as ip netns del does.`},
	{"nl.netns.list", "()", `The names of the network namespaces under /run/netns, sorted.`},
	{"nl.netns.fd", "(name_or_path_or_pid)", `Opens a network namespace and returns its file descriptor, for IFLA_NET_NS_FD; it
stays open until nlsh exits.`},

	{"genl.families", "([options])", `Every generic netlink family of the namespace, as family objects sorted by name.
options: netns.`},
	{"genl.family", "(name [, options])", `The generic netlink family named name ('ethtool', 'netdev', 'nlctrl'), found through
nlctrl: f.name, f.id, f.version, f.groups, f.source (where its description comes from:
a YNL spec, the kernel's policy, or built in). See help('family') for its methods.
options: netns.`},
	{"genl.decode", "(bytes)", `Splits a buffer into generic netlink messages, decoded by family and command.
Families named by nlctrl replies in the buffer are learned first.`},

	{"rtnl.attr_names", "(class)", `The names of the attributes of a message class's top-level set, in number order: rtnl.attr_names('ifaddrmsg').`},
	{"rtnl.decode", "(bytes)", `Splits a buffer into messages and returns them as a list of message tables, decoded
lazily. NLMSG_ERROR and NLMSG_DONE are included, as messages whose header.type says so.`},

	{"ip.link", "(cmd, spec)", `Links, as ip link does. cmd: 'add', 'set', 'replace', 'del', 'get', 'dump',
'property_add' or 'property_del' (alternative names). The spec's keys (below) name
the link (index, or ifname; with index, ifname renames it) and what to set; with kind,
the kind's own keys too. {dry = true} returns the message unsent; {echo = true} the link.
  ip.link('add', {ifname = 'v0', kind = 'veth', peer = 'v1'})
  ip.link('set', {ifname = 'v0', state = 'up', flags = {'!IFF_NOARP'}})`},
	{"ip.links", "([filter])", `Every link, or those matching filter: a table of keys ({ifname = 'v0'},
{kind = 'veth'}, {mtu = function(m) return m > 1500 end}) or a function of the message.`},
	{"ip.link_lookup", "(name)", `The index of the link called name (or with that alternative name), or nil; a
filter table gives the index of the first link it finds.`},
	{"ip.brport", "(cmd, spec)", `A bridge port's settings, as bridge link does: cmd 'set', 'get' or 'dump'. spec:
index (or ifname) and IFLA_BRPORT_* short names (cost, priority, learning,
unicast_flood, proxyarp, …; true and false are 1 and 0).
  ip.brport('set', {ifname = 'v1', cost = 200, learning = false})`},
	{"ip.addr", "(cmd, spec)", `Addresses, as ip addr does. cmd: 'add', 'replace', 'del', 'flush', 'get' or 'dump'.
  ip.addr('add', {ifname = 'v0', address = '10.0.0.1/24'})`},
	{"ip.addrs", "([filter])", `Every address, or those matching filter: a table of keys ({ifname = 'v0',
family = AF_INET}) or a function of the message.`},
	{"ip.route", "(cmd, spec)", `Routes, as ip route does. cmd: 'add', 'replace', 'change' (an existing route only),
'append', 'del', 'get' (the kernel's lookup, every key sent as given), 'dump' or 'flush'.
  ip.route('add', {dst = '10.8.0.0/16', gateway = '10.0.0.2'})`},
	{"ip.routes", "([filter])", `Every route, or those matching filter (a table of keys, a key's value a name, a
number or a function of the route's value; or a function of the message):
  for _, r in ipairs(ip.routes{table = 254}) do print(r:get('RTA_DST')) end`},
	{"ip.route_dumps", "([filter [, opts]])", `The routes ip.routes(filter) finds, as bytes in the format of ip route save (the
kernel's messages after a magic number; opts.fmt = 'raw': without it).
  io.open('routes.bin', 'wb'):write(ip.route_dumps{table = 254})`},
	{"ip.route_loads", "(data [, opts])", `Loads routes saved by ip.route_dumps or ip route save, each as a replace; returns
how many. If some fail, raises the first failure (with index, failed, applied) once all
were tried. opts.fmt = 'raw': data without the magic number.`},
	{"ip.neigh", "(cmd, spec)", `Neighbours (ARP, NDP), as ip neigh does. cmd: 'add', 'replace', 'del', 'get', 'dump'
or 'flush'.`},
	{"ip.neighs", "([filter])", `Every neighbour entry, or those matching filter.`},
	{"ip.fdb", "(cmd, spec)", `Bridge forwarding-database entries: ip.neigh with family AF_BRIDGE, as bridge fdb does.`},
	{"ip.rule", "(cmd, spec)", `Policy routing rules, as ip rule does. cmd: 'add', 'del', 'dump' or 'flush' (every
rule a filter finds).`},
	{"ip.rules", "([filter])", `Every rule, or those matching filter ({priority = function(p) return p > 100 end}).`},
	{"ip.tc", "(cmd, kind, spec)", `Traffic control, as pyroute2's IPRoute.tc. cmd: 'add', 'replace', 'change', 'del'
(qdiscs), 'add-class', … (classes), 'add-filter', … (filters). kind: 'htb', 'tbf',
'pfifo', 'bfifo', 'pfifo_fast', 'pfifo_head_drop', 'mq', 'ingress', 'clsact',
'blackhole', 'noqueue', 'u32', … (another kind is sent by name). spec: the device,
handle ('1:'), parent ('root', '1:1'), classid, prio, protocol and the kind's keys
(help('ip.tc htb'); rates as bytes/s or tc's '1mbit').
  ip.tc('add', 'htb', {ifname = 'v0', handle = '1:', default = 0x10})`},
	{"ip.qdiscs", "([filter])", `Every qdisc, or those matching filter.`},
	{"ip.classes", "([filter])", `The traffic classes of a device (index or ifname in filter), or of every device.`},
	{"ip.filters", "([filter])", `The traffic filters of a device (index or ifname in filter, and parent), or of every
device.`},
	{"ip.each.links", "([filter])", `The streaming form of ip.links: an iterator over the links as the kernel sends them,
filtered on arrival, nothing kept once the loop moves on (see ip.each.routes).`},
	{"ip.each.addrs", "([filter])", `The streaming form of ip.addrs (see ip.each.routes).`},
	{"ip.each.routes", "([filter])", `The streaming form of ip.routes: takes the same filter and returns an iterator over the
routes as the kernel sends them, filtered on arrival, keeping none once the loop moves on,
so memory stays flat for a million routes. The stream has a socket of its own: the loop
may call ip (ip.route('del', …)). A dump the kernel flags as interrupted (NLM_F_DUMP_INTR)
hands out every route, then raises that code.
  for r in ip.each.routes{table = 254} do n = n + 1 end`},
	{"ip.each.neighs", "([filter])", `The streaming form of ip.neighs (see ip.each.routes).`},
	{"ip.each.rules", "([filter])", `The streaming form of ip.rules (see ip.each.routes).`},
	{"ip.each.qdiscs", "([filter])", `The streaming form of ip.qdiscs (see ip.each.routes).`},
	{"ip.each.classes", "([filter])", `The streaming form of ip.classes: one dump per device, streamed in turn.`},
	{"ip.each.filters", "([filter])", `The streaming form of ip.filters: one dump per parent, streamed in turn (the
parents are found first).`},
	{"ip.tc_handle", "(h)", `Converts a tc handle: ip.tc_handle('1:10') is 0x10010, ip.tc_handle(0x10010) is '1:10'.`},
	{"ip.monitor", "(groups, fn [, opts])", `Calls fn(ev) for every notification of the groups ('link', 'addr', 'route',
'neigh', 'rule', 'tc' or any rtnetlink group name) until fn returns false or Ctrl-C.
opts: rcvbuf, backlog, timeout (seconds of quiet that end it), as nl.events.`},
	{"ip.batch", "(fn)", `Runs fn(add) with the requests the ip verbs make going into a batch (sock:batch):
they leave packed many to a datagram while fn builds the next, and every
acknowledgement is checked; add queues a message of fn's own. Returns the number of
requests; raises the first failure's error value (with index, failed and applied), or
fn's own error after sending what it queued. Cut short (Ctrl-C, a socket failure),
its error value's applied says how many were applied.`},
	{"ip.netns", "(name)", `The same API bound to another network namespace (a name, path or pid).`},
	{"ip.close", "()", `Closes the ip module's socket (it is opened again when needed).`},
	{"ip.get_netns_info", "([{list_proc = true}])", `Every namespace under /run/netns (with list_proc, every process's too), each once:
{netnsid = the id it has here (-1: none), inode, path, attrs = {{'NSINFO_PATH', path},
{'NSINFO_PEER', link}…}}, the peers being the links here whose other end is there.`},
	{"ip.get_netnsid", "(spec)", `The id a namespace has here, as {nsid = , current_nsid = }, or nil: spec names it by
netns (a name or path), pid, fd or nsid; target_nsid asks another namespace.`},
	{"ip.set_netnsid", "(spec)", `Gives a namespace (netns = name or path, pid or fd) an id here: nsid, or one the
kernel picks (as ip netns set NAME auto).`},
	{"ip.stats", "(cmd, spec)", `A link's statistics, as ip stats show: cmd 'get' (ifindex or ifname) or 'dump' (every
link's, filtered). filter_mask picks the groups (bit n-1 for IFLA_STATS_* attribute n;
all unless given).
  ip.stats('get', {ifname = 'v0'}):get('IFLA_STATS_LINK_64').rx_packets`},
	{"ip.ntables", "([filter])", `The neighbour tables (arp_cache, ndisc_cache) with their parameters and statistics,
one message per table and per device, as ip ntable show; filter: family, name, ….`},
	{"ip.dump", "()", `Everything the namespace holds, in one list: its links, addresses, neighbours,
routes and rules, of every family, as pyroute2's dump.`},
	{"ip.poll", "(method, cmd, spec [, opts])", `Calls method(cmd, spec) until it returns something (not nil, false or an empty
list) and returns that, or with opts.present = false until it returns nothing; after
opts.timeout seconds (10) raises ETIMEDOUT. opts.interval: seconds between calls (0.2).
  ip.poll(ip.link, 'dump', {ifname = 'v0', operstate = 'IF_OPER_UP'}, {timeout = 5})`},
	{"ip.ensure", "(method, spec [, opts])", `Makes spec's object be there: adds it when method('dump', spec) finds none (set
when the add says it exists), then polls the dump until it shows; with opts.present =
false deletes it instead (already gone is fine). opts as ip.poll's.
  ip.ensure(ip.addr, {index = i, address = '10.0.0.1/24'})`},

	{"lesson.check", "([value, ...])", `Asks the kernel whether the running lesson's task is done: a verdict that prints as
"✓ done: …", "→ …" (a step of it done) or "✗ not yet: …" with what the kernel shows
(v.ok is true when done). Hand over what the task asks for: a reply, a list of them,
a socket (its options and groups are read from the kernel), an error value.`},
	{"lesson.hint", "()", `The running lesson's next hint; after the last, a solution.`},
	{"lesson.task", "()", `Prints the running lesson's task again.`},
	{"lesson.stop", "()", `Ends the running lesson: closes the sockets opened in its namespace, deletes the
namespace and moves back to the namespace the shell was in.`},

	{"bit.bor", "(a, b, ...)", `a | b | ...`},
	{"bit.band", "(a, b, ...)", `a & b & ...`},
	{"bit.bxor", "(a, b, ...)", `a ^ b ^ ...`},
	{"bit.bnot", "(a)", `~a, on 32 bits.`},
	{"bit.lshift", "(a, n)", `a << n, on 32 bits.`},
	{"bit.rshift", "(a, n)", `a >> n, on 32 bits.`},
	{"bit.btest", "(a, b)", `true when a & b is not zero.`},

	{"msg:get", "(name [, name ...])", `The value of the first attribute named name, or nil. Several names walk nests:
  link:get('IFLA_LINKINFO', 'IFLA_INFO_KIND')`},
	{"msg:get_all", "(name [, name ...])", `The list of the values of every attribute named name (walking nests as get does).`},
	{"msg:encode", "()", `The message's exact wire bytes, as a Lua string. header.length is computed when 0.`},
	{"msg:explain", "([options])", `Prints every byte of the encoded message with what it is (as nl.explain).`},

	{"family:ops", "()", `The family's operations: {name, id, flags, doit, dumpit, doc} each, as its
description names them and the running kernel offers them.`},
	{"family:doit", "(op [, attrs [, options]])", `Sends the operation's do request and returns the reply, or nothing when the
operation only acknowledges. attrs is keyed by attribute name (dev_name, 'dev-name' or
the C name), nests as tables: f:doit('linkinfo-get', {header = {dev_name = 'v0'}}).
options: timeout (seconds without a reply; default 30).`},
	{"family:dumpit", "(op [, attrs [, options]])", `Sends the operation's dump request and returns the list of replies.`},
	{"family:each", "(op [, attrs [, options]])", `An iterator over a dump's replies as they arrive, keeping none behind.`},
	{"family:policy", "(op [, 'do'|'dump'])", `The kernel's policy for the operation's requests, keyed by attribute name: type,
number, limits (min_value_u, max_length, ...) and, for a nest, the policy inside.`},
	{"family:check", "()", `Where the family's description and the running kernel's policy disagree: a list
of sentences, empty when they agree.`},
	{"family:subscribe", "(group [, options])", `An iterator over the family's notifications to a multicast group, decoded, and a
function that closes it: for ev in f:subscribe('mgmt') do print(ev) end. options:
timeout (seconds of quiet that end the loop), rcvbuf, backlog.`},
	{"family:message", "(op [, attrs])", `The request message the operation would send, as a message table (for nl.explain,
editing, sock:request). f.OP_NAME{attrs} does the same: f.linkinfo_get{...}.`},

	{"sock:send", "(msg_or_bytes)", `Sends a message table or wire bytes as one datagram; returns the number of bytes.`},
	{"sock:recv", "()", `Waits for one datagram and returns the list of messages in it, decoded. Ctrl-C
stops the wait.`},
	{"sock:recv_raw", "()", `Waits for one datagram and returns its bytes as a Lua string.`},
	{"sock:request", "(msg [, opts])", `Sends a request (filling in the sequence number and port id when 0) and returns
the list of replies, up to the ACK or NLMSG_DONE. A kernel error raises an error value
(errno, code, message, ext_ack, offset, attr, request, replies). Without NLM_F_ACK the
kernel answers a failure but not a success, so a change without it is refused at once.
opts.timeout: seconds without a reply before it fails with code 'ETIMEDOUT' (default 30;
math.huge for none).`},
	{"sock:request_batch", "(list)", `Sends many requests (message tables or bytes) packed into few datagrams and waits
for every acknowledgement. Returns a list with true or an error value per request, and
the number that failed.`},
	{"sock:batch", "(fn)", `Calls fn(add); add(msg) queues a request (message table or bytes) and returns its
number. Requests leave as they are queued, many to a datagram, while fn builds the next;
every acknowledgement is checked. Returns what request_batch returns once all are
answered. If fn raises, what it queued is still sent, then its error is raised. The
socket does nothing else meanwhile.`},
	{"sock:each", "(msg [, opts])", `An iterator over the replies to a request (a dump) as they arrive, keeping none
behind: for m in s:each(req) do ... end. Memory stays flat at any dump size. A later call
on the same socket ends the stream; an interrupted dump raises code 'NLM_F_DUMP_INTR'
after its last message. opts.timeout bounds each wait, as in sock:request.`},
	{"sock:close", "()", `Closes the socket.`},
	{"sock:port", "()", `The socket's netlink port id (nl_pid).`},
	{"sock:join", "(group)", `Joins a multicast group, by name ('link', 'ipv4-ifaddr') or number.`},
	{"sock:leave", "(group)", `Leaves a multicast group.`},
	{"sock:state", "()", `The socket as the kernel holds it, read back with getsockopt: {port, cap_ack, ext_ack,
strict, no_enobufs (booleans), rcvbuf (bytes), groups (the numbers of the multicast
groups joined)}. lesson.check reads a socket handed to it so.`},
}

// A Module is a module or method set help() lists, with a line about it.
type Module struct{ Name, Text string }

// Modules introduces the modules and method sets help() lists, in order.
var Modules = []Module{
	{"nl", "netlink sockets, decoding, explaining bytes, tracing"},
	{"rtnl", "NETLINK_ROUTE message classes (rtnl.ifaddrmsg, ...), constants and rtnl.decode"},
	{"genl", "generic netlink: genl.families(), genl.family(name) and genl.decode"},
	{"ip", "high-level verbs in the style of pyroute2's IPRoute (ip.link, ip.addr, ip.route, ...)"},
	{"bit", "bitwise operations, which Lua 5.1 lacks"},
	{"lesson", "lessons that check your work against the kernel: lesson() lists them"},
	{"msg", "methods of message tables: msg:get(...), ..."},
	{"sock", "methods of sockets from nl.socket(): sock:request(msg), ..."},
	{"family", "methods of generic netlink families from genl.family(): family:doit(op, attrs), ..."},
}
