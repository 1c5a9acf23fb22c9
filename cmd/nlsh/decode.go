package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"nlsh/engine"
	"nlsh/genl"
	"nlsh/rtnl"
	"nlsh/ynl"
)

// decode is `nlsh decode [--explain] FILE`: it prints the netlink messages of
// a capture offline, without root. Each line is what --trace printed for the
// same message: '>' sent, '<' received. It reads and prints a packet at a
// time, so a capture of any size decodes in the memory of one packet; a
// capture cut short or corrupt ends it with exit status 1, saying where.
func decode(args []string, ynlPath []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nlsh decode", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	explain := fs.Bool("explain", false, "explain every byte")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintf(stderr, "usage: nlsh decode [--explain] FILE   (FILE: pcap or pcapng with netlink packets, as --pcap, tshark or dumpcap write them, a hex dump, or raw netlink bytes; - for stdin)\n")
		return exitUsage
	}
	name := fs.Arg(0)
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return exitError
		}
		defer f.Close()
		in = f
	}
	cr, err := engine.NewCaptureReader(in)
	if err != nil {
		fmt.Fprintf(stderr, "nlsh: %s: %v\n", name, err)
		return exitError
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	status := exitOK
	// Generic netlink ids are learned from the nlctrl replies the capture
	// holds, as they come: a family decodes by name from its lookup on.
	specs := &genl.Specs{Finder: &ynl.Finder{Dirs: ynlPath}}
	families := genl.NewTable(specs.Describe)
	for {
		p, err := cr.Next()
		if err == io.EOF {
			return status
		}
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "nlsh: %s: %v\n", name, err)
			return exitError
		}
		proto := rtnl.Route
		switch p.Family {
		case 0:
		case 16:
			proto = families.Protocol()
			if !p.Out {
				families.Learn(p.Data)
			}
		default:
			proto = &engine.Protocol{Name: fmt.Sprintf("netlink family %d", p.Family)}
		}
		arrow := "<"
		dir := engine.DirReply
		if p.Out {
			arrow, dir = ">", engine.DirRequest
		}
		if *explain {
			fmt.Fprintf(out, "%s %d bytes\n%s", arrow, len(p.Data), engine.FormatExplain(engine.Explain(proto, p.Data, engine.ExplainOptions{Mark: -1, Dir: dir})))
		} else {
			lines, err := engine.TraceLines(proto, arrow, p.Data, nil)
			io.WriteString(out, lines)
			if err != nil {
				status = exitError
			}
		}
		// A packet's lines go out as it is read: a capture still being
		// written shows as it grows.
		if err := out.Flush(); err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return exitError
		}
	}
}
