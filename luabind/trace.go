package luabind

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
	"nlsh/luabind/luaarg"
)

// direction is the way a tapped datagram went.
func direction(out bool) engine.Direction {
	if out {
		return engine.DirRequest
	}
	return engine.DirReply
}

// Tracing and capture: every socket an Env opens reports each datagram it
// sends and receives to the Env, which prints it (nl.trace) and writes it to
// a pcap file (nl.pcap.open), so a high-level call shows what it really sent.

// Trace modes.
const (
	TraceOff     = "off"
	TraceCompact = "compact"
	TraceExplain = "explain"
)

// tracer's fields are guarded by mu: a batch's acknowledgements are tapped
// on the batch's own goroutine while the script's requests are tapped on
// the Lua one.
type tracer struct {
	mu       sync.Mutex
	mode     string
	w        io.Writer
	pcap     *engine.PcapWriter
	pcapFile *os.File
	sent     map[uint32][]byte // recent requests by sequence number, to explain errors
}

// maxSent bounds the requests a trace keeps to explain errors with.
const maxSent = 256

// remember keeps the requests of a sent datagram, so an error answering one
// can name the attribute the kernel pointed at.
func (t *tracer) remember(data []byte) {
	msgs, _ := engine.Split(data)
	if t.sent == nil || len(t.sent)+len(msgs) > maxSent {
		t.sent = map[uint32][]byte{}
	}
	for i := range msgs {
		t.sent[msgs[i].Header.Seq] = msgs[i].Bytes()
	}
}

// tap returns the engine.ConnConfig.Tap for a socket of the given family.
func (e *Env) tap(family int, p *engine.Protocol) func(bool, []byte) {
	tab, _ := p.Dynamic.(*genl.Table)
	return func(out bool, data []byte) {
		if h := e.recvHook.Load(); h != nil && !out {
			(*h)(data)
		}
		if tab != nil && !out {
			// Families the kernel names in replies decode from now on,
			// in this trace and in the messages handed to the script.
			tab.Learn(data)
		}
		t := &e.trace
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.pcap != nil {
			if err := t.pcap.Write(family, out, data); err != nil {
				fmt.Fprintf(t.w, "nlsh: pcap: %v\n", err)
				t.pcap = nil
			}
		}
		if t.mode == TraceOff || t.mode == "" {
			return
		}
		if out {
			t.remember(data)
		}
		arrow := "<"
		if out {
			arrow = ">"
		}
		if t.mode == TraceExplain {
			dir := "received"
			if out {
				dir = "sent"
			}
			fmt.Fprintf(t.w, "%s %s %d bytes\n%s", arrow, dir, len(data), engine.FormatExplain(engine.Explain(p, data, engine.ExplainOptions{Mark: -1, Dir: direction(out)})))
			if !out {
				t.explainErrors(p, data)
			}
			return
		}
		lines, _ := engine.TraceLines(p, arrow, data, func(seq uint32) []byte { return t.sent[seq] })
		io.WriteString(t.w, lines)
	}
}

// explainErrors follows each error in a received datagram with the request
// it answers, explained, the attribute the kernel pointed at marked.
func (t *tracer) explainErrors(p *engine.Protocol, data []byte) {
	msgs, _ := engine.Split(data)
	for i := range msgs {
		m := &msgs[i]
		req := t.sent[m.Header.Seq]
		if m.Header.Type != engine.NLMSG_ERROR || req == nil {
			continue
		}
		ne, ok := engine.ReplyError(p, m, req).(*engine.Error)
		if !ok || ne == nil {
			continue
		}
		fmt.Fprintf(t.w, "  the kernel refused request seq=%d: %s\n%s", m.Header.Seq, ne.Error(),
			engine.FormatExplain(engine.Explain(p, req, engine.ExplainOptions{Mark: errorMark(ne)})))
	}
}

// errorMark is the byte of the request an error points at: the offending
// attribute, else the nest that lacks one, else none.
func errorMark(ne *engine.Error) int {
	if ne.Offset >= 0 {
		return ne.Offset
	}
	return ne.MissNest
}

// SetTrace sets the trace mode (TraceOff, TraceCompact, TraceExplain).
func (e *Env) SetTrace(mode string) error {
	switch mode {
	case TraceOff, TraceCompact, TraceExplain:
		e.trace.mu.Lock()
		e.trace.mode = mode
		e.trace.mu.Unlock()
		return nil
	}
	return fmt.Errorf("unknown trace mode %q (off, compact, explain)", mode)
}

// OpenPcap starts writing every datagram to a pcap file.
func (e *Env) OpenPcap(path string) error {
	e.ClosePcap()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w, err := engine.NewPcapWriter(f)
	if err != nil {
		f.Close()
		return err
	}
	e.trace.mu.Lock()
	e.trace.pcap, e.trace.pcapFile = w, f
	e.trace.mu.Unlock()
	return nil
}

// ClosePcap finishes the pcap file, if one is open.
func (e *Env) ClosePcap() error {
	e.trace.mu.Lock()
	defer e.trace.mu.Unlock()
	if e.trace.pcapFile == nil {
		return nil
	}
	err := e.trace.pcapFile.Close()
	e.trace.pcap, e.trace.pcapFile = nil, nil
	return err
}

// luaTrace is nl.trace(mode): true or 'compact', 'explain', false or 'off'.
// It returns the previous mode.
func (e *Env) luaTrace(L *lua.LState) int {
	e.trace.mu.Lock()
	prev := e.trace.mode
	e.trace.mu.Unlock()
	if prev == "" {
		prev = TraceOff
	}
	if L.GetTop() >= 1 {
		mode := TraceOff
		switch v := L.Get(1).(type) {
		case lua.LBool:
			if v {
				mode = TraceCompact
			}
		case lua.LString:
			mode = string(v)
		case *lua.LNilType:
		default:
			L.ArgError(1, "true, false, 'compact', 'explain' or 'off' expected")
		}
		if err := e.SetTrace(mode); err != nil {
			L.ArgError(1, err.Error())
		}
	}
	L.Push(lua.LString(prev))
	return 1
}

func (e *Env) openPcapModule(L *lua.LState) *lua.LTable {
	return funcTable(L, map[string]lua.LGFunction{
		"open": func(L *lua.LState) int {
			e.refuseReadOnly(L, "nl.pcap.open")
			if err := e.OpenPcap(L.CheckString(1)); err != nil {
				L.RaiseError("nl.pcap.open: %s", err.Error())
			}
			return 0
		},
		"close": func(L *lua.LState) int {
			if err := e.ClosePcap(); err != nil {
				L.RaiseError("nl.pcap.close: %s", err.Error())
			}
			return 0
		},
	})
}

// luaEvents is nl.events(groups [, opts]): an iterator over multicast
// notifications, decoded, and a function that closes the stream (see
// eventIter). opts: rcvbuf (default engine.EventRcvBuf), backlog (default
// engine.ListenBacklog), netns, timeout (seconds; the iterator ends when
// nothing arrives for that long).
func (e *Env) luaEvents(L *lua.LState) int {
	gt := L.CheckTable(1)
	cfg := engine.DefaultConnConfig()
	var netns lua.LValue = lua.LNil
	for i := 1; i <= gt.Len(); i++ {
		g, err := e.groupNumber(gt.RawGetInt(i))
		if err != nil {
			L.ArgError(1, err.Error())
		}
		cfg.Groups = append(cfg.Groups, g)
	}
	if len(cfg.Groups) == 0 {
		L.ArgError(1, "at least one multicast group expected, e.g. {'link', 'ipv4-ifaddr'}")
	}
	timeout, backlog := luaarg.EventOptions(L, 2, "nl.events", &cfg, &netns)
	cfg.NetNS = e.netnsOption(L, "nl.events: option netns", netns)
	s, err := e.dial(0, e.route, "route events", cfg)
	if err != nil {
		e.raise(L, "nl.events", err)
	}
	iter, closer := e.eventIter(L, s, timeout, backlog, "nl.events")
	L.Push(iter)
	L.Push(closer)
	return 2
}

// Monitor prints notifications of the named groups until ctx ends, one line
// each with a timestamp, as `ip monitor` does (nlsh --monitor). rcvbuf is
// the socket's receive buffer in bytes (0: engine.EventRcvBuf).
func (e *Env) Monitor(ctx context.Context, groups []string, rcvbuf int) error {
	var quoted []string
	for _, g := range groups {
		quoted = append(quoted, fmt.Sprintf("%q", g))
	}
	opts := "{}"
	if rcvbuf > 0 {
		opts = fmt.Sprintf("{rcvbuf = %d}", rcvbuf)
	}
	src := fmt.Sprintf(`ip.monitor({%s}, nl._print_event, %s)`, strings.Join(quoted, ","), opts)
	_, err := e.Run(ctx, "monitor", src, nil)
	return err
}

func (e *Env) luaPrintEvent(L *lua.LState) int {
	t := L.CheckTable(1)
	ts := time.Now().Format("15:04:05.000")
	if lua.LVAsBool(t.RawGetString("overrun")) {
		fmt.Fprintf(e.opts.Stdout, "[%s] OVERRUN: the kernel dropped notifications (receive buffer full); dump again to resynchronise\n", ts)
		return 0
	}
	if lm := e.lazyOf(t); lm != nil {
		m := lm.message()
		fmt.Fprintf(e.opts.Stdout, "[%s] %s\n", ts, engine.Summary(lm.protocol(), &m))
	}
	return 0
}
