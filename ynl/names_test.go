package ynl

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
)

// TestGenetlinkCNames checks the C names of a genetlink-c spec, which
// may set every prefix itself: set and attribute name-prefix, enum
// name-prefix, operations' name-prefix and async-prefix, a group's
// c-define-name; and the defaults where it does not.
func TestGenetlinkCNames(t *testing.T) {
	s := testSpec(t, "gadget")
	got := map[string]string{}
	for _, set := range s.Sets {
		for _, a := range set.Attrs {
			got["attr "+set.Name+"."+a.Name] = a.CName
		}
	}
	for _, e := range s.Enums {
		for i, cn := range s.EnumCNames(e) {
			got["enum "+e.Name+"."+e.Values[i].Name] = cn
		}
	}
	for _, op := range s.Ops {
		got["op "+op.Name] = op.CName + " / " + op.ReplyCName
	}
	for _, g := range s.Groups {
		got["group "+g.Name] = g.CName
	}
	for _, c := range s.Consts {
		got["const "+c.Name] = "int"
	}
	for _, c := range s.TextConsts {
		got["const "+c.Name] = c.Value
	}
	want := map[string]string{
		"attr gadget.id":         "GADGET_A_ID", // the set named as the family
		"attr gadget.label":      "GADGET_A_LABEL",
		"attr gadget.colour":     "GADGET_A_COLOUR",
		"attr gadget.perms":      "GADGET_A_PERMS",
		"attr gadget.old-id":     "GADGET_LEGACY_OLD_ID", // the attribute's own name-prefix
		"attr gadget.part":       "GADGET_A_PART",
		"attr gadget.shape-mask": "GADGET_A_SHAPE_MASK",
		"attr part.index":        "GADGET_PART_INDEX", // the set's name-prefix
		"attr part.weight":       "GADGET_PART_WEIGHT",
		"attr part.offset":       "GADGET_PART_OFFSET",
		"attr stats.uses":        "GADGET_A_STATS_USES", // $family-A-$set-
		"attr stats.pad":         "GADGET_A_STATS_PAD",
		"enum colour.red":        "GADGET_COL_RED", // the enum's name-prefix
		"enum colour.green":      "GADGET_COL_GREEN",
		"enum colour.blue":       "GADGET_COL_BLUE",
		"enum perm.read":         "GADGET_PERM_READ", // $family-$enum-
		"enum perm.write":        "GADGET_PERM_WRITE",
		"enum perm.admin":        "GADGET_PERM_ADMIN",
		"enum shape.round":       "GADGET_SHAPE_ROUND",
		"enum shape.square":      "GADGET_SHAPE_SQUARE",
		"op get":                 "GADGET_DO_GET / GADGET_DO_GET",
		"op set":                 "GADGET_DO_SET / GADGET_DO_SET",
		"op changed":             "GADGET_EVENT_CHANGED / GADGET_EVENT_CHANGED", // async-prefix
		"op stats":               "GADGET_EVENT_STATS / GADGET_EVENT_STATS",
		"group watch":            "GADGET_GROUP_WATCH", // c-define-name
		"group stats":            "GADGET_MCGRP_STATS",
		"const GADGET_NAME_LEN":  "int",
		"const GADGET_GREETING":  "hello",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("C names (-want +got):\n%s", diff)
	}
}

// TestGadgetValues checks numbering in a genetlink-c spec: attributes
// from 1 unless a value says, enums from value-start, flags as bits, and
// the unified message ids.
func TestGadgetValues(t *testing.T) {
	s := testSpec(t, "gadget")
	type v struct {
		Name  string
		Value uint64
	}
	values := func(e *engine.Enum) []v {
		var out []v
		for _, x := range e.Values {
			out = append(out, v{x.Name, x.Value})
		}
		return out
	}
	got := map[string][]v{}
	for _, e := range s.Enums {
		got[e.Name] = values(e)
	}
	for _, set := range s.Sets {
		for _, a := range set.Attrs {
			got[set.Name] = append(got[set.Name], v{a.Name, uint64(a.Type)})
		}
	}
	mask, _ := s.Set("gadget").ByName("shape-mask")
	got["shape-mask"] = values(mask.Enum)
	want := map[string][]v{
		"colour":     {{"red", 0}, {"green", 1}, {"blue", 2}},
		"perm":       {{"read", 4}, {"write", 8}, {"admin", 128}}, // bits from value-start 2; admin is bit 7
		"shape":      {{"round", 10}, {"square", 11}},
		"shape-mask": {{"round", 1 << 10}, {"square", 1 << 11}}, // enum-as-flags
		"gadget":     {{"id", 1}, {"label", 2}, {"colour", 3}, {"perms", 4}, {"old-id", 5}, {"part", 6}, {"shape-mask", 7}},
		"part":       {{"index", 5}, {"weight", 6}, {"offset", 7}},
		"stats":      {{"uses", 1}, {"pad", 2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if !s.Enum("perm").Flags || s.Enum("colour").Flags {
		t.Error("flags and enum mixed up")
	}
	if s.Version != 1 || s.Protocol != "genetlink-c" || s.MsgIDModel != "unified" || s.Fixed != nil {
		t.Errorf("version %d protocol %s model %s fixed %v", s.Version, s.Protocol, s.MsgIDModel, s.Fixed)
	}
	if len(s.Consts) != 1 || s.Consts[0].Value != 24 {
		t.Errorf("consts %+v", s.Consts)
	}
	// A genetlink request with a nest: NLA_F_NESTED on the nest, uint
	// and sint as short as the value allows.
	c := &engine.Class{Name: "gadget", Attrs: s.Set("gadget")}
	roundTrip(t, c, fields(map[string]any{"attrs": list(
		pair("id", uint64(3)),
		pair("colour", "blue"),
		pair("perms", "read|admin"),
		pair("part", list(pair("index", uint64(1)), pair("weight", uint64(1<<33)), pair("offset", int64(-1)))),
		pair("shape-mask", "square"),
	)}), "08000100 03000000 05000300 02000000 08000400 84000000"+
		"20000680 06000500 01000000 0c000600 00000000 02000000 08000700 ffffffff"+
		"08000700 00080000")
}
