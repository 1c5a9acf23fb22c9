package engine

// Label is how a field is shown to people: its name, and its C name in
// brackets where that differs ("index (ifa_index)"), so that help, print
// and explain can be read beside rtnetlink(7) and the kernel's headers.
func (f *Field) Label() string {
	if f.CName == "" || f.CName == f.Name {
		return f.Name
	}
	return f.Name + " (" + f.CName + ")"
}
