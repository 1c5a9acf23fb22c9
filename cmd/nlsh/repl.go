package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/chzyer/readline"

	"nlsh/luabind"
)

const (
	prompt     = "nlsh> "
	contPrompt = "...> "
	banner     = "nlsh — netlink shell. help() for help, Tab completes, Ctrl-D quits."

	// maxResultLines is where a printed result is cut short; show(_) prints
	// all of it.
	maxResultLines = 200
)

// historyPath is NLSH_HISTORY, else ~/.nlsh_history.
func historyPath() string {
	if p := os.Getenv("NLSH_HISTORY"); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".nlsh_history")
}

// repl reads chunks from the terminal. An incomplete chunk (an open
// function or table) continues on the next line; an expression's value is
// printed; Ctrl-C cancels a running chunk or clears the line; Ctrl-D exits.
func repl(env *luabind.Env, stdout, stderr io.Writer) int {
	hist := historyPath()
	if hist != "" {
		// Lines typed may hold secrets: create the file private, as
		// shells do; readline would create it world-readable.
		if f, err := os.OpenFile(hist, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			f.Close()
		}
	}
	comp := &completer{env: env}
	// Pasted blocks bypass the line editor (paste.go).
	in := newPasteReader(readline.NewCancelableStdin(os.Stdin))
	// The editor, for its own goroutine's key filter (below), which may
	// run before NewEx's result is stored.
	var editor atomic.Pointer[readline.Instance]
	rl, err := readline.NewEx(&readline.Config{
		Stdin:             in,
		Prompt:            prompt,
		HistoryFile:       hist,
		HistoryLimit:      10000,
		HistorySearchFold: true,
		AutoComplete:      comp,
		InterruptPrompt:   "^C",
		FuncGetWidth:      termWidth,
		// While Tab's candidates are listed the line editor takes Ctrl-C
		// to close the list only, and keeps the line: what is typed next
		// joins it. Closing the list here first lets Ctrl-C clear the
		// line, as it does everywhere else. The filter runs on the
		// editor's own goroutine, before it looks at the key.
		FuncFilterInputRune: func(r rune) (rune, bool) {
			if rl := editor.Load(); r == readline.CharInterrupt && rl != nil && rl.Operation.IsInCompleteMode() {
				rl.Operation.ExitCompleteMode(false)
			}
			return r, true
		},
		Stdout: stdout,
		Stderr: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "nlsh: %v\n", err)
		return exitError
	}
	defer rl.Close()
	editor.Store(rl)

	// SIGINT arrives while a chunk runs (the terminal is not in raw mode
	// then) and cancels that chunk only; at the prompt Ctrl-C is a key that
	// readline reports as ErrInterrupt. Catching the signal for the whole
	// session means a Ctrl-C between the two never kills the shell.
	intr := &interrupter{}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for range sigs {
			intr.fire()
		}
	}()
	defer func() {
		signal.Stop(sigs)
		close(sigs)
	}()

	fmt.Fprintln(stdout, banner)
	if f, ok := stdout.(*os.File); ok && isTerminal(f) {
		// The terminal marks what is pasted (a redirected output gets
		// no escape codes).
		io.WriteString(stdout, pasteOn)
		defer io.WriteString(stdout, pasteOff)
	}
	session := env.NewSession()
	var buf []string
	for {
		if len(buf) == 0 {
			rl.SetPrompt(prompt)
		} else {
			rl.SetPrompt(contPrompt)
		}
		comp.setPending(buf)
		line, err := rl.Readline()
		paste, pasted := in.take()
		if errors.Is(err, readline.ErrInterrupt) {
			buf = nil
			continue
		}
		if err != nil { // io.EOF: Ctrl-D on an empty line
			if len(buf) > 0 {
				buf = nil
				continue
			}
			return exitOK
		}
		if pasted {
			// The block follows what was typed before it, as one chunk.
			shown := prompt
			if len(buf) > 0 {
				shown = contPrompt
			}
			echoPaste(stdout, shown, line, paste)
			for _, l := range strings.Split(paste, "\n") {
				if strings.TrimSpace(l) != "" {
					rl.SaveHistory(l)
				}
			}
			line += strings.TrimSuffix(paste, "\n")
		}
		buf = append(buf, line)
		src := strings.Join(buf, "\n")
		if strings.TrimSpace(src) == "" {
			buf = nil
			continue
		}
		if strings.HasPrefix(src, "=") {
			src = "return " + src[1:]
		}
		code, ok := compileREPL(env, session, src)
		if !ok {
			continue // incomplete: read more lines
		}
		buf = nil
		ctx := intr.arm()
		vals, err := session.Run(ctx, code)
		interrupted := intr.disarm()
		switch {
		case err != nil && interrupted:
			fmt.Fprintln(stderr, "interrupted")
		case err != nil:
			fmt.Fprintln(stderr, env.ErrorText(err))
		case len(vals) > 0:
			env.L.SetGlobal("_", vals[0])
			fmt.Fprintln(stdout, env.ShowBrief(vals, maxResultLines))
		}
	}
}

// echoPaste shows a block pasted after typed at the prompt shown as if it
// had been typed: its first line on the prompt's line (which the line
// editor ended when the paste came), the others after the continuation
// prompt. The block is written at once, however long.
func echoPaste(w io.Writer, shown, typed, paste string) {
	lines := strings.Split(strings.TrimSuffix(paste, "\n"), "\n")
	var b strings.Builder
	if utf8.RuneCountInString(shown+typed) < termWidth() {
		b.WriteString("\x1b[1A\r\x1b[K" + shown + typed)
	} else {
		b.WriteString(contPrompt) // the typed line wrapped: start afresh
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteString(contPrompt)
		}
		b.WriteString(l + "\n")
	}
	io.WriteString(w, b.String())
}

// termWidth is the terminal's width, or 80 columns when it reports none
// (a serial console, a pty nobody sized): readline's completion and
// history search draw nothing on a zero-width screen.
func termWidth() int {
	if w := readline.GetScreenWidth(); w > 0 {
		return w
	}
	return 80
}

// interrupter turns SIGINT into the cancellation of the running chunk.
type interrupter struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	ctx    context.Context
}

// arm returns the context of the chunk about to run.
func (in *interrupter) arm() context.Context {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.ctx, in.cancel = context.WithCancel(context.Background())
	return in.ctx
}

// fire cancels the running chunk, if any.
func (in *interrupter) fire() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cancel != nil {
		in.cancel()
	}
}

// disarm ends the chunk's context and reports whether it was interrupted.
func (in *interrupter) disarm() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	interrupted := in.ctx.Err() != nil
	in.cancel()
	in.cancel, in.ctx = nil, nil
	return interrupted
}

// compileREPL decides how to run src: as an expression whose value is printed
// ("return src") when that parses, else as statements. ok is false when the
// chunk is incomplete and more lines should be read.
func compileREPL(env *luabind.Env, s *luabind.Session, src string) (string, bool) {
	if env.Compiles("return " + src) {
		return "return " + src, true
	}
	if err := s.Compiles(src); err != nil && incomplete(err.Error()) {
		return "", false
	}
	return src, true
}

// incomplete reports whether a syntax error says the chunk ended too soon:
// gopher-lua puts "at EOF" where a longer chunk could go on (an open
// function, table or long string), and calls a short string cut by the end
// of the line unterminated, which more lines cannot mend.
func incomplete(msg string) bool {
	return strings.Contains(msg, " at EOF:") && !strings.Contains(msg, "unterminated string") ||
		strings.Contains(msg, "<eof>")
}

// completer adapts Env.Complete to readline. The chunk typed so far gives
// context: a local assigned a message on an earlier line is known.
type completer struct {
	env     *luabind.Env
	mu      sync.Mutex
	pending string
}

func (c *completer) setPending(lines []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = ""
	if len(lines) > 0 {
		c.pending = strings.Join(lines, "\n") + "\n"
	}
}

// Do implements readline.AutoCompleter: it returns what to append for each
// candidate and how many runes before the cursor they share.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	c.mu.Lock()
	pending := c.pending
	c.mu.Unlock()
	if pos > len(line) {
		pos = len(line)
	}
	text := pending + string(line[:pos])
	cands, n := c.env.Complete(text+string(line[pos:]), len(text))
	word := []rune(text[len(text)-n:])
	out := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		r := []rune(cand)
		if len(r) < len(word) || string(r[:len(word)]) != string(word) {
			continue
		}
		out = append(out, r[len(word):])
	}
	return out, len(word)
}
