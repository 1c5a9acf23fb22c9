package genl

import (
	"fmt"
	"sort"

	"nlsh/engine"
)

// Check compares a family's description (a spec) with what the running
// kernel says (in: its commands; pol: its policies) and returns each
// disagreement as a sentence: commands one side lacks, attributes the
// kernel accepts that the description does not name, types that differ,
// and request attributes the description lists that the kernel's policy
// does not accept. A family described from the kernel itself has nothing
// to disagree with.
func Check(f *Family, in Info, pol *Policy) []string {
	if f.Source == "kernel" || f.Source == "kernel policy" {
		return nil
	}
	var out []string
	kernel := map[int]uint32{}
	for _, o := range in.Ops {
		kernel[int(o.Cmd)] = o.Flags
	}
	described := map[int]*Op{}
	for _, op := range f.Ops {
		if op.Req < 0 {
			continue
		}
		described[op.Req] = op
		if _, ok := kernel[op.Req]; !ok {
			out = append(out, fmt.Sprintf("%s (command %d) is described but this kernel does not offer it", op.Name, op.Req))
		}
	}
	var cmds []int
	for c := range kernel {
		cmds = append(cmds, c)
	}
	sort.Ints(cmds)
	for _, c := range cmds {
		op := described[c]
		if op == nil {
			out = append(out, fmt.Sprintf("the kernel offers command %d, which the description does not name", c))
			continue
		}
		o, ok := pol.Ops[uint32(c)]
		if !ok {
			continue
		}
		for _, idx := range []int{o.Do, o.Dump} {
			if idx >= 0 {
				out = append(out, checkSet(op.Name, op.Set, pol, uint32(idx), map[uint32]bool{})...)
			}
		}
		if o.Do >= 0 || o.Dump >= 0 {
			for _, a := range op.ReqAttrs {
				d, ok := op.Set.ByName(a)
				if !ok {
					continue
				}
				if !accepts(pol, o, d.Type) {
					out = append(out, fmt.Sprintf("%s: the description lists request attribute %s (%d), which the kernel's policy does not accept", op.Name, d.Name, d.Type))
				}
			}
		}
	}
	return dedupe(out)
}

func accepts(pol *Policy, o OpPolicy, t uint16) bool {
	for _, idx := range []int{o.Do, o.Dump} {
		if idx >= 0 {
			if _, ok := pol.Sets[uint32(idx)][t]; ok {
				return true
			}
		}
	}
	return false
}

func checkSet(op string, set *engine.AttrSet, pol *Policy, idx uint32, seen map[uint32]bool) []string {
	if seen[idx] {
		return nil
	}
	seen[idx] = true
	var out []string
	var nums []int
	for n := range pol.Sets[idx] {
		nums = append(nums, int(n))
	}
	sort.Ints(nums)
	for _, n := range nums {
		ap := pol.Sets[idx][uint16(n)]
		d := set.ByType(uint16(n))
		if d == nil {
			where := "the operation's attributes"
			if set != nil {
				where = set.Name
			}
			out = append(out, fmt.Sprintf("%s: the kernel accepts attribute %d (%s) in %s, which the description does not name", op, n, ap.Type, where))
			continue
		}
		if !compatible(d, ap.Type) {
			out = append(out, fmt.Sprintf("%s: attribute %s (%d) is %s in the description, %s in the kernel's policy", op, d.Name, n, d.Kind, ap.Type))
			continue
		}
		if ap.Nested >= 0 {
			inner := d.InnerSet()
			if inner != nil && inner.Indexed != nil && ap.Type == "nested-array" {
				inner = inner.Indexed.InnerSet()
			}
			if inner != nil {
				out = append(out, checkSet(op, inner, pol, uint32(ap.Nested), seen)...)
			}
		}
	}
	return out
}

// compatible reports whether an attribute described as d can be what the
// kernel's policy type says: the wire forms agree, whatever the
// description makes of the value (an address, an enum).
func compatible(d *engine.AttrDesc, typ string) bool {
	k := d.Kind
	switch typ {
	case "flag":
		return k == engine.Flag
	case "u8":
		return k == engine.U8
	case "u16":
		return k == engine.U16 || k == engine.BE16
	case "u32":
		return k == engine.U32 || k == engine.BE32 || k == engine.IPv4
	case "u64":
		return k == engine.U64 || k == engine.BE64
	case "s8":
		return k == engine.S8
	case "s16":
		return k == engine.S16 || k == engine.SBE16
	case "s32":
		return k == engine.S32 || k == engine.SBE32
	case "s64":
		return k == engine.S64 || k == engine.SBE64
	case "uint":
		return k == engine.Uint || k == engine.U32 || k == engine.U64
	case "sint":
		return k == engine.Sint || k == engine.S32 || k == engine.S64
	case "string", "nul-string":
		return k == engine.Asciiz || k == engine.String
	case "nested":
		return k == engine.Nested || k == engine.SubMsg
	case "nested-array":
		return k == engine.Nested
	case "bitfield32":
		return k == engine.Struct || k == engine.Binary
	case "binary":
		switch k {
		case engine.Binary, engine.Struct, engine.Array, engine.LLAddr, engine.IPv4, engine.IPv6, engine.IP, engine.String, engine.Asciiz, engine.Pad, engine.SubMsg:
			return true
		}
		return false
	}
	return true // a policy type newer than nlsh: no opinion
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
