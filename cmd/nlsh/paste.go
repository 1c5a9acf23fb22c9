package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// Bracketed paste. A terminal in bracketed-paste mode (turned on by
// writing pasteOn) wraps what the user pastes in pasteStart … pasteEnd.
// The line editor would take a paste a character at a time, redrawing the
// line after each one: a 16 KB line costs seconds. So the shell's input
// goes through a pasteReader first, which takes a pasted block aside whole
// and hands the line editor a single Enter in its place; the shell then
// takes the block (take) and runs the line typed so far and the block as
// one chunk. A short paste without a line break is passed on as typed, so
// that pasting a name into the line being edited still works.

const (
	pasteOn    = "\x1b[?2004h"
	pasteOff   = "\x1b[?2004l"
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"

	// shortPaste is the longest paste without a line break that is passed
	// on to the line editor as typed.
	shortPaste = 256
	// maxPaste bounds a paste held in memory; past it the block is cut
	// there (a terminal that never ends a paste must not eat all memory).
	maxPaste = 64 << 20
)

// pasteReader reads the terminal for the line editor, taking pasted
// blocks aside.
type pasteReader struct {
	src io.ReadCloser

	pend []byte // read from src, not yet scanned
	out  []byte // scanned, for the line editor
	err  error  // src's error, returned once pend and out are empty

	mu    sync.Mutex
	paste *string // a block taken aside, until the shell takes it
}

func newPasteReader(src io.ReadCloser) *pasteReader { return &pasteReader{src: src} }

// Close closes the terminal reader underneath.
func (r *pasteReader) Close() error { return r.src.Close() }

// take returns the block pasted since the last call, if any.
func (r *pasteReader) take() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paste == nil {
		return "", false
	}
	s := *r.paste
	r.paste = nil
	return s, true
}

// Read gives the line editor what was typed. It stops short of a paste,
// so that what was typed before it is read (and an Enter in it acted on)
// before the paste is taken aside; then it returns the Enter that stands
// for the paste.
func (r *pasteReader) Read(p []byte) (int, error) {
	for {
		if len(r.out) > 0 {
			n := copy(p, r.out)
			r.out = r.out[n:]
			return n, nil
		}
		if i := bytes.Index(r.pend, []byte(pasteStart)); i > 0 {
			r.out, r.pend = r.pend[:i:i], r.pend[i:]
			continue
		} else if i == 0 {
			body := r.pend[len(pasteStart):]
			j := bytes.Index(body, []byte(pasteEnd))
			if j < 0 && len(body) < maxPaste && r.err == nil {
				r.fill()
				continue
			}
			if j < 0 {
				j = len(body) // cut short: what came is the paste
				r.pend = nil
			} else {
				r.pend = body[j+len(pasteEnd):]
			}
			r.pasted(body[:j])
			continue
		}
		// No paste starts here; keep back a tail that may be the start of
		// one split across reads.
		keep := partialPrefix(r.pend, pasteStart)
		if n := len(r.pend) - keep; n > 0 {
			r.out, r.pend = r.pend[:n:n], r.pend[n:]
			continue
		}
		if r.err != nil {
			if len(r.pend) > 0 {
				r.out, r.pend = r.pend, nil
				continue
			}
			return 0, r.err
		}
		r.fill()
	}
}

// fill reads more from the terminal.
func (r *pasteReader) fill() {
	buf := make([]byte, 32<<10)
	n, err := r.src.Read(buf)
	r.pend = append(r.pend, buf[:n]...)
	if err != nil {
		r.err = err
	}
}

// pasted handles a pasted block: a short one without a line break goes to
// the line editor as typed; anything else is taken aside for the shell,
// and the editor gets an Enter that ends the line being typed.
func (r *pasteReader) pasted(b []byte) {
	text := strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\r", "\n")
	if len(text) <= shortPaste && !strings.Contains(text, "\n") {
		r.out = append(r.out, text...)
		return
	}
	r.mu.Lock()
	if r.paste != nil {
		// A second block before the shell took the first: keep both.
		text = *r.paste + "\n" + text
	}
	r.paste = &text
	r.mu.Unlock()
	r.out = append(r.out, '\r')
}

// partialPrefix is the length of the longest tail of b that is a proper
// prefix of marker.
func partialPrefix(b []byte, marker string) int {
	for n := min(len(b), len(marker)-1); n > 0; n-- {
		if bytes.HasSuffix(b, []byte(marker[:n])) {
			return n
		}
	}
	return 0
}
