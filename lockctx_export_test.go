package wren

// ContextsBound reports whether the driver has passed a statement's
// context down to the engine (bindContext) since the process started.
func ContextsBound() bool { return contextsBound.Load() }
