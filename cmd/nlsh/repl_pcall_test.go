package main

import (
	"path/filepath"
	"regexp"
	"testing"

	"nlsh/engine/nstest"
)

// TestREPLPcallKeepsUpvalues types the reproducers of gopher-lua#448 into
// the shell, one line and several (a chunk across continuation prompts),
// with a script's pcall and with an ip call that catches an error inside;
// then yields across calls, which are refused with an error and leave the
// session working.
func TestREPLPcallKeepsUpvalues(t *testing.T) {
	ns := nstest.New(t)
	bin := buildREPL(t)
	s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"), "--netns", ns)
	s.prompt()
	for _, c := range []struct {
		lines []string
		want  string
	}{
		{[]string{"local c = 0; local function bump() c = c + 1 end; bump(); pcall(error, 'x'); bump(); print(c)"}, "\n2\n"},
		{[]string{"local c = 0; local function bump() c = c + 1 end; bump(); ip.link_lookup('nosuch'); bump(); print(c)"}, "\n2\n"},
		{[]string{"do", "  local c = 0", "  local function bump() c = c + 1 end", "  bump()", "  xpcall(function() pcall(error, 'a'); error('b') end, print)", "  bump()", "  print(c)", "end"}, "\n2\n"},
		{[]string{"=coroutine.wrap(function() return pcall(coroutine.yield, 1) end)()"}, "\nfalse\tstdin:1: cannot yield across an nlsh call (pcall)\n"},
		{[]string{"=coroutine.resume(coroutine.create(function() local n = ip.batch(function() coroutine.yield() end) end))"},
			"\nfalse\tstdin:1: cannot yield across an nlsh call (ip.batch); nothing was queued before it\n"},
		{[]string{"=coroutine.wrap(function(a) return coroutine.yield(a) end)(7)"}, "\n7\n"},
	} {
		for i, l := range c.lines {
			s.send(l + "\r")
			if i < len(c.lines)-1 {
				s.expect(regexp.QuoteMeta(contPrompt))
			}
		}
		s.expect(regexp.QuoteMeta(c.want))
		s.prompt()
	}
	s.send("\x04")
	if code := s.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}
