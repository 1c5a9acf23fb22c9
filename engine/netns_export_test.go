package engine

// IsCurrentNetNS exposes isCurrentNetNS to the external tests.
var IsCurrentNetNS = isCurrentNetNS
