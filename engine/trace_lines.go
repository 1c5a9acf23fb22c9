package engine

import (
	"fmt"
	"strings"
)

// TraceLines renders one datagram as a trace shows it: a line per message
// after arrow ("<" received, ">" sent), each as Summary renders it (an
// error with the request it answers, when sent knows it; sent may be nil).
// A datagram that holds several messages gets a line of its own first,
// saying how many, so that where one datagram ends and the next begins
// shows: a dump comes in many. (Its messages' lines stay as they are, for
// grep.) Bytes that do not frame as messages
// end with a "!!" line, and err reports them.
func TraceLines(p *Protocol, arrow string, data []byte, sent func(seq uint32) []byte) (string, error) {
	msgs, err := Split(data)
	var b strings.Builder
	if len(msgs) > 1 {
		fmt.Fprintf(&b, "%s [datagram: %d messages, %d bytes]\n", arrow, len(msgs), len(data))
	}
	for i := range msgs {
		var req []byte
		if sent != nil {
			req = sent(msgs[i].Header.Seq)
		}
		fmt.Fprintf(&b, "%s %s\n", arrow, SummaryOf(p, &msgs[i], req))
	}
	if err != nil {
		fmt.Fprintf(&b, "%s !! %v\n", arrow, err)
	}
	return b.String(), err
}
