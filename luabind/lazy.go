package luabind

import (
	"runtime"
	"sync"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// lazyRegistry maps decoded message tables to their raw messages. A message
// table carries nothing of its own until it is read: its metatable is shared
// by every message of its class, and the raw message is found here by the
// table's address. That keeps a 100,000-message dump to one small table per
// message: a per-message metatable, or a hidden key in the table, costs a
// gopher-lua hash map (several hundred bytes) each.
//
// Entries go away with their tables: a cleanup registered with the runtime
// removes an entry once its table is garbage. A table's address is stable
// while it lives (Go's collector does not move objects); the generation
// guards against a cleanup that runs after the address was reused.
type lazyRegistry struct {
	mu      sync.Mutex
	gen     uint64
	entries map[uintptr]lazyEntry

	// The last table looked up, kept by the Lua goroutine (the only caller
	// of get): scripts call m:get several times on the same message.
	lastT  *lua.LTable
	lastLM *lazyMsg
}

type lazyEntry struct {
	lm  *lazyMsg
	gen uint64
}

type lazyKey struct {
	addr uintptr
	gen  uint64
}

func newLazyRegistry() *lazyRegistry {
	return &lazyRegistry{entries: map[uintptr]lazyEntry{}}
}

func (r *lazyRegistry) add(t *lua.LTable, lm *lazyMsg) {
	r.mu.Lock()
	r.addLocked(t, lm)
	r.mu.Unlock()
}

// addMany registers a dump's tables under one lock.
func (r *lazyRegistry) addMany(ts []*lua.LTable, lms []lazyMsg) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.entries) == 0 && len(ts) > 1024 {
		r.entries = make(map[uintptr]lazyEntry, len(ts))
	}
	for i, t := range ts {
		r.addLocked(t, &lms[i])
	}
}

func (r *lazyRegistry) addLocked(t *lua.LTable, lm *lazyMsg) {
	addr := uintptr(unsafe.Pointer(t))
	r.gen++
	r.entries[addr] = lazyEntry{lm, r.gen}
	runtime.AddCleanup(t, r.forget, lazyKey{addr, r.gen})
}

func (r *lazyRegistry) forget(k lazyKey) {
	r.mu.Lock()
	if e, ok := r.entries[k.addr]; ok && e.gen == k.gen {
		delete(r.entries, k.addr)
	}
	r.mu.Unlock()
}

func (r *lazyRegistry) get(t *lua.LTable) *lazyMsg {
	if t == r.lastT {
		return r.lastLM
	}
	r.mu.Lock()
	e := r.entries[uintptr(unsafe.Pointer(t))]
	r.mu.Unlock()
	r.lastT, r.lastLM = t, e.lm
	return e.lm
}

// forgetLast drops the one-entry lookup cache.
func (r *lazyRegistry) forgetLast() { r.lastT, r.lastLM = nil, nil }

// lazyMeta returns the metatable shared by the decoded messages of a class
// (c may be nil for message types without a description).
func (e *Env) lazyMeta(lm *lazyMsg) *lua.LTable {
	key := lazyMetaKey{uintptr(unsafe.Pointer(lm.proto)), uintptr(unsafe.Pointer(lm.class))}
	if mt, ok := e.lazyMetas[key]; ok {
		return mt
	}
	mt := e.L.CreateTable(0, 4)
	mt.RawSetString("__index", e.lazyIndex)
	mt.RawSetString("__newindex", e.lazyNewIndex)
	mt.RawSetString("__tostring", e.msgToString)
	if lm.class != nil {
		mt.RawSetString(keyClass, lua.LString(lm.class.Name))
	}
	e.lazyMetas[key] = mt
	return mt
}

type lazyMetaKey struct {
	p uintptr
	c uintptr
}
