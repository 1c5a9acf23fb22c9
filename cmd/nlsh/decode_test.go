package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/rtnl"
)

// wireshark returns the path of one of Wireshark's tools (CI installs
// Debian's tshark, which has them), skipping the test without it.
func wireshark(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatalf("%s is needed (install Debian's tshark)", tool)
		}
		t.Skipf("%s not installed", tool)
	}
	return p
}

// convert runs a Wireshark tool and returns the file it wrote.
func convert(t *testing.T, out string, tool string, args ...string) string {
	t.Helper()
	if b, err := exec.Command(wireshark(t, tool), args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %q: %v\n%s", tool, args, err, b)
	}
	return out
}

// bigEndianPcap rewrites a little-endian pcap in big-endian byte order, as
// a big-endian machine's libpcap writes it.
func bigEndianPcap(t *testing.T, in, out string) string {
	t.Helper()
	b, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	swap32 := func(p []byte) { binary.BigEndian.PutUint32(p, binary.LittleEndian.Uint32(p)) }
	swap16 := func(p []byte) { binary.BigEndian.PutUint16(p, binary.LittleEndian.Uint16(p)) }
	swap32(b[0:])
	swap16(b[4:])
	swap16(b[6:])
	for _, i := range []int{8, 12, 16, 20} {
		swap32(b[i:])
	}
	for off := 24; off < len(b); {
		incl := int(binary.LittleEndian.Uint32(b[off+8:]))
		for i := 0; i < 16; i += 4 {
			swap32(b[off+i:])
		}
		off += 16 + incl // the cooked header is big-endian already; netlink stays little-endian
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDecodeWiresharkFormats: a capture nlsh wrote, rewritten by
// Wireshark's own tools as pcapng (tshark's and dumpcap's format), as
// nanosecond pcap and as nanosecond pcapng, and by the test in big-endian
// order, decodes to the very lines the trace printed, generic netlink
// families learned from the capture included.
func TestDecodeWiresharkFormats(t *testing.T) {
	ns := nstest.New(t)
	dir := t.TempDir()
	pcap := filepath.Join(dir, "nlsh.pcap")
	r := nlsh(t, "", "--netns", ns, "--trace", "--pcap", pcap, "-e",
		`ip.link('add', {ifname='v0', kind='veth', peer='v1'})
		 genl.family('nlctrl'):dumpit('getpolicy', {family_name = 'nlctrl'})
		 return #ip.links()`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	trace := r.stderr
	for _, want := range []string{"> RTM_NEWLINK", "< nlctrl getpolicy MULTI", "< RTM_NEWLINK"} {
		if !strings.Contains(trace, want) {
			t.Fatalf("the trace lacks %q:\n%s", want, trace)
		}
	}
	explain := nlsh(t, "", "decode", "--explain", pcap)
	if explain.code != 0 {
		t.Fatalf("decode --explain: exit %d: %s", explain.code, explain.stderr)
	}
	join := func(n string) string { return filepath.Join(dir, n) }
	nsec := convert(t, join("nsec.pcap"), "editcap", "-F", "nsecpcap", pcap, join("nsec.pcap"))
	for _, tc := range []struct {
		name, file, magic string
	}{
		{"pcap", pcap, "d4c3b2a1"},
		{"editcap pcapng", convert(t, join("editcap.pcapng"), "editcap", "-F", "pcapng", pcap, join("editcap.pcapng")), "0a0d0d0a"},
		{"tshark's default", convert(t, join("tshark.out"), "tshark", "-r", pcap, "-w", join("tshark.out")), "0a0d0d0a"},
		{"nanosecond pcap", nsec, "4d3cb2a1"},
		{"nanosecond pcapng", convert(t, join("nsec.pcapng"), "editcap", "-F", "pcapng", nsec, join("nsec.pcapng")), "0a0d0d0a"},
		{"big-endian pcap", bigEndianPcap(t, pcap, join("be.pcap")), "a1b2c3d4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%x", b[:4]); got != tc.magic {
				t.Fatalf("%s starts %s, not %s: not the format the case is about", tc.file, got, tc.magic)
			}
			d := nlsh(t, "", "decode", tc.file)
			if d.code != 0 || d.stderr != "" {
				t.Errorf("decode: exit %d: %s", d.code, d.stderr)
			}
			if diff := cmp.Diff(trace, d.stdout); diff != "" {
				t.Errorf("decode differs from the trace (-want +got):\n%s", diff)
			}
			x := nlsh(t, "", "decode", "--explain", tc.file)
			if diff := cmp.Diff(explain.stdout, x.stdout); x.code != 0 || diff != "" {
				t.Errorf("decode --explain: exit %d (-pcap +this):\n%s", x.code, diff)
			}
		})
	}
}

// testCapture writes a pcap of real kernel messages (testdata/dumps): three
// requests, each followed by a datagram of replies. It returns its path and
// what decode prints of each packet.
func testCapture(t *testing.T) (string, []string) {
	t.Helper()
	var buf bytes.Buffer
	w, err := engine.NewPcapWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var packets []string
	for _, name := range []string{"links", "addrs", "routes"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "dumps", name+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		req := []byte{16, 0, 0, 0, 18, 0, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0} // RTM_GETLINK dump
		for _, p := range []struct {
			out  bool
			data []byte
		}{{true, req}, {false, b}} {
			if err := w.Write(0, p.out, p.data); err != nil {
				t.Fatal(err)
			}
			arrow := map[bool]string{true: ">", false: "<"}[p.out]
			lines, err := engine.TraceLines(rtnl.Route, arrow, p.data, nil)
			if err != nil {
				t.Fatal(err)
			}
			packets = append(packets, lines)
		}
	}
	p := filepath.Join(t.TempDir(), "dumps.pcap")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, packets
}

// TestDecodeTruncated: a capture cut short prints the packets before the
// cut, then says which packet was cut, where, and exits 1.
func TestDecodeTruncated(t *testing.T) {
	pcap, packets := testCapture(t)
	b, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	d := nlsh(t, "", "decode", pcap)
	if all := strings.Join(packets, ""); d.code != 0 || d.stdout != all {
		t.Fatalf("whole capture: exit %d %s\n%s", d.code, d.stderr, cmp.Diff(all, d.stdout))
	}
	// The records: 16 bytes of header, the cooked header, the datagram.
	var recs []int
	for off := 24; off < len(b); off += 16 + int(binary.LittleEndian.Uint32(b[off+8:])) {
		recs = append(recs, off)
	}
	type cut struct {
		name    string
		data    []byte
		packets int // printed whole before the error
		err     string
	}
	cases := []cut{
		{"pcap, half a file header", b[:13], 0, "pcap: offset 0: truncated: the file header has 13 of 24 bytes"},
		{"pcap, half a record header", b[:recs[3]+5], 3, fmt.Sprintf("pcap: packet 4, offset %d: truncated: the record header has 5 of 16 bytes", recs[3])},
		{"pcap, a packet cut short", b[:recs[1]+100], 1, fmt.Sprintf("pcap: packet 2, offset %d: truncated: 84 of the packet's %d bytes", recs[1], recs[2]-recs[1]-16)},
		{"pcap, the last byte lost", b[:len(b)-1], 5, fmt.Sprintf("pcap: packet 6, offset %d: truncated: %d of the packet's %d bytes", recs[5], len(b)-recs[5]-17, len(b)-recs[5]-16)},
	}
	dir := t.TempDir()
	if _, err := exec.LookPath("editcap"); err == nil || os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
		ng := convert(t, filepath.Join(dir, "dumps.pcapng"), "editcap", "-F", "pcapng", pcap, filepath.Join(dir, "dumps.pcapng"))
		nb, err := os.ReadFile(ng)
		if err != nil {
			t.Fatal(err)
		}
		// pcapng: the section (its length at offset 4), the interface,
		// then the enhanced packet blocks.
		shb := int(binary.LittleEndian.Uint32(nb[4:]))
		idb := int(binary.LittleEndian.Uint32(nb[shb+4:]))
		var blocks []int
		for off := shb + idb; off < len(nb); off += int(binary.LittleEndian.Uint32(nb[off+4:])) {
			blocks = append(blocks, off)
		}
		cases = append(cases,
			cut{"pcapng, half a block header", nb[:blocks[2]+3], 2, fmt.Sprintf("pcapng: offset %d: truncated: the block header has 3 of 8 bytes", blocks[2])},
			cut{"pcapng, a packet cut short", nb[:blocks[1]+200], 1, fmt.Sprintf("pcapng: packet 2, offset %d: truncated: 200 of the enhanced packet block's %d bytes", blocks[1], blocks[2]-blocks[1])},
		)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "cut")
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			d := nlsh(t, "", "decode", p)
			if d.code != 1 {
				t.Errorf("exit %d, want 1", d.code)
			}
			if diff := cmp.Diff("nlsh: "+p+": "+tc.err+"\n", d.stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			want := strings.Join(packets[:tc.packets], "")
			if diff := cmp.Diff(want, d.stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
		})
	}
}

// decodeFrom runs `nlsh decode -` in this process, printing to stdout,
// with a standard input that fill writes to from a goroutine until it
// returns false or the reading end is closed. It returns the exit status,
// what went to stderr, and how many bytes fill wrote.
func decodeFrom(t *testing.T, stdout io.Writer, fill func(w io.Writer) bool) (code int, stderr string, written int64) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cw := &countWriter{w: pw}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer pw.Close()
		for fill(cw) {
		}
	}()
	// decode reads the stdin it is given; os.Stdin too, so the test runs
	// against versions that read os.Stdin directly.
	saved := os.Stdin
	os.Stdin = pr
	defer func() { os.Stdin = saved }()
	var errb bytes.Buffer
	code = run([]string{"decode", "-"}, pr, stdout, &errb)
	pr.Close() // the writer stops at its next write
	wg.Wait()
	return code, errb.String(), cw.n
}

// countWriter counts what is written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	k, err := c.w.Write(p)
	c.n += int64(k)
	return k, err
}

// TestDecodeEndlessInput: `nlsh decode /dev/zero` (or any input that never
// ends and is no capture) stops at once with a clear error, having read
// one buffer of it, where it used to read until memory ran out.
func TestDecodeEndlessInput(t *testing.T) {
	const limit = 256 << 20 // the writer gives up here, so a reader that never stops fails the test, not the machine
	for _, tc := range []struct {
		name, chunk, err string
	}{
		{"zeros", "\x00", "not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): read as netlink messages: the first message's nlmsg_len 0 is shorter than the 16-byte header"},
		{"text", "this is not hex. ", "not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): read as a hex dump: line 1: \"this\" is not hex bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chunk := bytes.Repeat([]byte(tc.chunk), 64<<10/len(tc.chunk))
			var sent int
			start := time.Now()
			var stdout bytes.Buffer
			code, stderr, written := decodeFrom(t, &stdout, func(w io.Writer) bool {
				if sent >= limit {
					return false
				}
				_, err := w.Write(chunk)
				sent += len(chunk)
				return err == nil
			})
			t.Logf("stopped after %v, %d bytes written", time.Since(start), written)
			if code != 1 || stdout.Len() != 0 {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, stdout.String())
			}
			if diff := cmp.Diff("nlsh: -: "+tc.err+"\n", stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if written > 1<<20 {
				t.Errorf("decode read %d MiB before it stopped", written>>20)
			}
		})
	}
	// And the command itself on /dev/zero.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := runCmd(t, exec.CommandContext(ctx, nlshBin, "decode", "/dev/zero"), "")
	if r.code != 1 || !strings.Contains(r.stderr, "nlsh: /dev/zero: not a capture nlsh reads") {
		t.Errorf("nlsh decode /dev/zero: exit %d: %s", r.code, r.stderr)
	}
}

// TestDecodeBigCapture: decoding 256 MiB of capture keeps the heap small:
// it reads, prints and forgets one packet at a time.
func TestDecodeBigCapture(t *testing.T) {
	links, err := os.ReadFile(filepath.Join("..", "..", "testdata", "dumps", "links.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// Large messages (an unknown attribute of 60,000 bytes), so that the
	// capture is big but quick to print, and now and then a datagram of
	// real ones.
	big := make([]byte, 16+16+4+60000)
	binary.LittleEndian.PutUint32(big[0:], uint32(len(big)))
	binary.LittleEndian.PutUint16(big[4:], 16) // RTM_NEWLINK
	binary.LittleEndian.PutUint16(big[32:], 4+60000)
	binary.LittleEndian.PutUint16(big[34:], 999)
	const rounds = 4400 // 256 MiB and more
	var w *engine.PcapWriter
	var round int
	stop := make(chan struct{})
	var peak uint64
	sampled := make(chan struct{})
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(ms.HeapAlloc, base))
		}
	}()
	lines := &lineCounter{mark: []byte("IFLA_999=<60000 bytes>")}
	code, stderr, written := decodeFrom(t, lines, func(out io.Writer) bool {
		if w == nil {
			var err error
			if w, err = engine.NewPcapWriter(out); err != nil {
				return false
			}
		}
		if round == rounds {
			return false
		}
		round++
		if round%8 == 0 && w.Write(0, false, links) != nil {
			return false
		}
		return w.Write(0, false, big) == nil
	})
	close(stop)
	<-sampled
	t.Logf("%d MiB decoded into %d lines; the heap grew by at most %d MiB", written>>20, lines.lines, peak>>20)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := lines.marked; n != rounds {
		t.Errorf("%d large messages decoded, want %d", n, rounds)
	}
	if written < 256<<20 {
		t.Errorf("only %d MiB written", written>>20)
	}
	if peak > 64<<20 {
		t.Errorf("the heap grew by %d MiB decoding %d MiB", peak>>20, written>>20)
	}
}

// lineCounter counts the lines written to it, and those that hold mark,
// keeping no more than a line.
type lineCounter struct {
	mark          []byte
	line          []byte
	lines, marked int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	for rest := p; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			c.line = append(c.line, rest...)
			break
		}
		c.line = append(c.line, rest[:i]...)
		c.lines++
		if bytes.Contains(c.line, c.mark) {
			c.marked++
		}
		c.line, rest = c.line[:0], rest[i+1:]
	}
	return len(p), nil
}
