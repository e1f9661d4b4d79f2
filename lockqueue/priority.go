package lockqueue

import "context"

type priorityKey struct{}

// WithPriority returns a context whose lock waits go to the head of the
// queue, behind only the other priority waiters (which stay in arrival
// order among themselves). Use it for the few requests on a latency-critical
// path; if every request has priority, none has.
func WithPriority(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, true)
}

// IsPriority reports whether ctx was made by WithPriority (or derives from
// such a context).
func IsPriority(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	p, _ := ctx.Value(priorityKey{}).(bool)
	return p
}
