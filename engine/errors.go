package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Error is a failed netlink request: the kernel's errno with its extended
// acknowledgement, or a local failure (Errno 0) such as an interrupted dump.
// errors.Is(err, unix.EEXIST) works through Unwrap.
type Error struct {
	Errno    unix.Errno
	Msg      string   // NLMSGERR_ATTR_MSG: the kernel's explanation
	Offset   int      // NLMSGERR_ATTR_OFFS: byte offset into the request, or -1
	AttrPath []string // names of the attributes Offset points into, outermost first
	MissType int      // NLMSGERR_ATTR_MISS_TYPE, or -1
	MissNest int      // NLMSGERR_ATTR_MISS_NEST offset, or -1
	Missing  string   // name of the missing attribute, when MissType is known
	Policy   *Record  // NLMSGERR_ATTR_POLICY, if sent
	Request  []byte   // the request the kernel answered, when known
	Reply    *Record  // the decoded NLMSG_ERROR (or NLMSG_DONE) payload
	Op       string   // what was being done ("RTM_NEWADDR"), for the message
	Err      error    // a non-errno cause (ErrDumpInterrupted, ...)
}

// ErrReadOnly is wrapped by the error of a request refused because it
// would change the kernel while nlsh is read-only; Op names the message.
var ErrReadOnly = errors.New("refused: read-only")

// ErrDumpInterrupted is reported when the kernel flags a dump with
// NLM_F_DUMP_INTR: the objects changed while they were being dumped, so the
// result may be inconsistent and the dump should be retried.
var ErrDumpInterrupted = errors.New("dump interrupted by concurrent changes (NLM_F_DUMP_INTR); retry the dump")

// IdleError is the cause of a request that got no reply for Idle: the
// kernel drops a request whose header says it is longer than the bytes
// sent, or one it cannot parse, without a word. errors.Is(err,
// unix.ETIMEDOUT) holds for it.
type IdleError struct {
	Idle time.Duration
}

func (e *IdleError) Error() string {
	return fmt.Sprintf("no reply from the kernel for %s (the request may have been dropped: check its length)", Seconds(e.Idle))
}

// Is makes errors.Is(err, unix.ETIMEDOUT) hold.
func (e *IdleError) Is(target error) bool { return target == unix.ETIMEDOUT }

// errIdle is what a read returns when its idle bound passes; the request
// waiting turns it into an *IdleError naming its own bound.
var errIdle = errors.New("idle")

// Seconds writes a duration as people give timeouts: "30 s", "0.25 s".
func Seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}

func (e *Error) Error() string {
	if errors.Is(e.Err, ErrReadOnly) && e.Op != "" {
		return e.Op + " " + ErrReadOnly.Error()
	}
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	switch {
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	case e.Errno != 0:
		fmt.Fprintf(&b, "%s (%s, errno %d)", e.Errno.Error(), ErrnoName(e.Errno), int(e.Errno))
	}
	if e.Msg != "" {
		fmt.Fprintf(&b, ": %s", e.Msg)
	}
	b.WriteString(e.where())
	return b.String()
}

// where names the attribute the kernel pointed at and the one it missed:
// " [at A > B] [missing C]", or "".
func (e *Error) where() string {
	var b strings.Builder
	if len(e.AttrPath) > 0 {
		fmt.Fprintf(&b, " [at %s]", strings.Join(e.AttrPath, " > "))
	}
	if e.Missing != "" {
		fmt.Fprintf(&b, " [missing %s]", e.Missing)
	}
	return b.String()
}

// Unwrap returns the errno (or the local cause).
func (e *Error) Unwrap() error {
	if e.Err != nil {
		return e.Err
	}
	return e.Errno
}

// ErrnoName returns the symbolic name of an errno ("EEXIST").
func ErrnoName(e unix.Errno) string {
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("E%d", int(e))
}
