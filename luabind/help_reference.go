package luabind

import "nlsh/luabind/iproute"

//go:generate go test -run TestReferenceIsCurrent -update .

// Reference renders docs/reference.md: the texts help() prints for every
// module, function, message class, attribute set and group of constants,
// assembled into one Markdown page. TestReferenceIsCurrent fails when the
// file differs; `go test ./luabind -run TestReferenceIsCurrent -update`
// rewrites it (so does go generate).
func (e *Env) Reference() string {
	return e.catalog().Reference(iproute.KeysText)
}
