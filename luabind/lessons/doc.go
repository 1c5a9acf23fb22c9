// Package lessons is the lessons: lesson() lists them, lesson(n) starts
// one, and lesson.check, hint, task, stop and given work in the one
// running. The lessons themselves are the Lua files here (NN_name.lua,
// and kit.lua, which their setups and checks get), embedded in the
// binary. A lesson runs in a network namespace of its own, where it moves
// the shell's default namespace, and its setup and checks run in a
// private shell there; what it needs of the shell running it (where to
// print, its namespace, that private shell, copies of the values a
// learner hands over) it asks of a Host, which luabind's Env provides.
package lessons
