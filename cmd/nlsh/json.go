package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/luabind"
)

// writeJSON prints each value a chunk returned as one JSON document on a
// line of its own (JSON Lines, which jq reads as a stream): `return a, b`
// prints two lines, a list of messages one line holding an array, nil
// "null", and a chunk that returns nothing prints nothing. A value JSON
// cannot hold is an error on stderr, after the documents before it.
func writeJSON(env *luabind.Env, vals []lua.LValue, stdout, stderr io.Writer) int {
	w := bufio.NewWriterSize(stdout, 64<<10)
	for i, v := range vals {
		if err := env.WriteJSON(w, v, luabind.JSONOptions{}); err != nil {
			w.Flush()
			fmt.Fprintf(stderr, "nlsh: --json: result %d: %v\n", i+1, err)
			return exitError
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "nlsh: --json: %v\n", err)
		return exitError
	}
	return exitOK
}

// monitorJSON is --monitor with --json: each notification one JSON
// document on a line of its own, as it arrives.
func monitorJSON(ctx context.Context, env *luabind.Env, groups []string) error {
	quoted := make([]string, len(groups))
	for i, g := range groups {
		quoted[i] = fmt.Sprintf("%q", g)
	}
	src := fmt.Sprintf(`ip.monitor({%s}, function(ev) print(nl.json(ev)) end)`, strings.Join(quoted, ","))
	_, err := env.Run(ctx, "monitor", src, nil)
	return err
}
