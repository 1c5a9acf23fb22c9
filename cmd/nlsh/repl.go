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

	"github.com/chzyer/readline"

	"nlsh/luabind"
)

const (
	prompt     = "nlsh> "
	contPrompt = "...> "
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
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            prompt,
		HistoryFile:       historyPath(),
		InterruptPrompt:   "^C",
		EOFPrompt:         "",
		HistorySearchFold: true,
		Stdout:            stdout,
		Stderr:            stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "nlsh: %v\n", err)
		return exitError
	}
	defer rl.Close()
	fmt.Fprintln(rl.Stdout(), "nlsh — netlink shell. help() for help, Ctrl-D to quit.")
	var buf []string
	for {
		if len(buf) == 0 {
			rl.SetPrompt(prompt)
		} else {
			rl.SetPrompt(contPrompt)
		}
		line, err := rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			buf = nil
			continue
		}
		if err != nil { // io.EOF: Ctrl-D
			if len(buf) > 0 {
				buf = nil
				continue
			}
			return exitOK
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
		code, ok := compileREPL(env, src)
		if !ok {
			continue // incomplete: read more lines
		}
		buf = nil
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		vals, err := env.Run(ctx, "stdin", code, nil)
		stop()
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(rl.Stderr(), "interrupted")
			} else {
				fmt.Fprintln(rl.Stderr(), env.FormatError(err))
			}
			continue
		}
		if len(vals) > 0 {
			fmt.Fprintln(rl.Stdout(), env.Show(vals))
		}
	}
}

// compileREPL decides how to run src: as an expression whose value is printed
// ("return src") when that parses, else as statements. ok is false when the
// chunk is incomplete and more lines should be read.
func compileREPL(env *luabind.Env, src string) (string, bool) {
	if env.Compiles("return " + src) {
		return "return " + src, true
	}
	if err := env.CompileError(src); err != nil && strings.Contains(err.Error(), "<eof>") {
		return "", false
	}
	return src, true
}
