// Package ynl reads the kernel's YNL specs (Documentation/netlink/specs:
// one YAML file per netlink family) and turns each into engine
// descriptions at run time: attribute sets, structs, enums, operations
// with their message ids, multicast groups. The specs are data nlsh
// finds on the machine (Finder); none is built in.
//
// The four schema levels (genetlink, genetlink-c, genetlink-legacy,
// netlink-raw) are read by one parser, each level a superset of the one
// before. The mapping from YNL types to engine kinds is in types.go, the
// C naming rules in names.go, the numbering of operations in ops.go.
// RawProtocol makes an engine.Protocol of a netlink-raw spec.
//
// The YAML is read by the package's own parser (yaml*.go), which knows
// the part of YAML the specs use and refuses the rest by line; a YAML
// library would cost every nlsh start its initialisation. The tests
// check the parser against go.yaml.in/yaml/v3.
//
// Keys the parser does not use (checks, pre/post hooks, kernel-only
// settings, and keys newer schemas add) are ignored, so that specs from
// newer kernels still load; keys it does use must have the right type,
// and every reference (to a set, struct, enum, sub-message, operation
// or group) must resolve. A malformed spec gives an *Error naming the
// file, the line and the key path.
package ynl
