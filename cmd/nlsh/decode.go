package main

import (
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
// same message: '>' sent, '<' received.
func decode(args []string, ynlPath []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nlsh decode", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	explain := fs.Bool("explain", false, "explain every byte")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintf(stderr, "usage: nlsh decode [--explain] FILE   (FILE: a pcap written by --pcap, a hex dump, or raw bytes; - for stdin)\n")
		return exitUsage
	}
	in := io.Reader(os.Stdin)
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return exitError
		}
		defer f.Close()
		in = f
	}
	pkts, err := engine.ReadCapture(in)
	if err != nil {
		fmt.Fprintf(stderr, "nlsh: %s: %v\n", fs.Arg(0), err)
		if len(pkts) == 0 {
			return exitError
		}
	}
	status := exitOK
	// Generic netlink ids are learned from the nlctrl replies the capture
	// holds, as they come: a family decodes by name from its lookup on.
	specs := &genl.Specs{Finder: &ynl.Finder{Dirs: ynlPath}}
	families := genl.NewTable(specs.Describe)
	for _, p := range pkts {
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
			fmt.Fprintf(stdout, "%s %d bytes\n%s", arrow, len(p.Data), engine.FormatExplain(engine.Explain(proto, p.Data, engine.ExplainOptions{Mark: -1, Dir: dir})))
			continue
		}
		msgs, err := engine.Split(p.Data)
		for i := range msgs {
			fmt.Fprintf(stdout, "%s %s\n", arrow, engine.Summary(proto, &msgs[i]))
		}
		if err != nil {
			fmt.Fprintf(stdout, "%s !! %v\n", arrow, err)
			status = exitError
		}
	}
	return status
}
