package lessons

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Each lesson is a Lua file (NN_name.lua, here) returning a table: its
// title, the concept it teaches, the tutorial section, the task, hints, a
// setup that builds the starting state, a check, and a worked solution
// and a typical mistake (the tests type both). kit.lua is what every
// lesson's setup and check get.

//go:embed *.lua
var files embed.FS

// Info is what a lesson file says in words (the table's text fields).
type Info struct {
	Title    string
	Concept  string
	Section  string // of docs/tutorial.md
	Task     string
	Hints    []string
	Solution string // Lua that does the task, typed at the prompt
	Check    string // the call that then hands the work over: "lesson.check(ack)"
	Mistake  string // Lua that gets it wrong, for the tests
	Says     string // words the check's answer to the mistake holds
}

// Infos reads the lesson files' descriptions, in order.
func Infos() ([]*Info, error) {
	infos, _, err := read()
	return infos, err
}

// readFile reads a lesson file by the name errors give it
// (lessons/NN_name.lua).
func readFile(name string) ([]byte, error) { return files.ReadFile(path.Base(name)) }

// read parses every lesson file in a bare Lua state (the files are tables
// of text and functions; nothing runs) and returns the text and the
// files' names.
func read() ([]*Info, []string, error) {
	ents, err := files.ReadDir(".")
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, d := range ents {
		if n := d.Name(); n != "kit.lua" && strings.HasSuffix(n, ".lua") {
			names = append(names, "lessons/"+n)
		}
	}
	sort.Strings(names)
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	var infos []*Info
	for _, f := range names {
		src, _ := readFile(f)
		fn, err := L.Load(bytes.NewReader(src), f)
		if err != nil {
			return nil, nil, err
		}
		L.Push(fn)
		if err := L.PCall(0, 1, nil); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", f, err)
		}
		t, ok := L.Get(-1).(*lua.LTable)
		L.Pop(1)
		if !ok {
			return nil, nil, fmt.Errorf("%s: does not return a table", f)
		}
		str := func(k string) string { return strings.TrimSpace(lua.LVAsString(t.RawGetString(k))) }
		in := &Info{Title: str("title"), Concept: str("concept"), Section: str("section"), Task: str("task"),
			Solution: str("solution"), Check: str("check_with"), Mistake: str("mistake"), Says: str("mistake_says")}
		if h, ok := t.RawGetString("hints").(*lua.LTable); ok {
			for i := 1; i <= h.Len(); i++ {
				in.Hints = append(in.Hints, strings.TrimSpace(lua.LVAsString(h.RawGetInt(i))))
			}
		}
		infos = append(infos, in)
	}
	return infos, names, nil
}
