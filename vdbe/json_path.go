package vdbe

import (
	"strings"

	"github.com/wrendb/wren/resultcode"
)

// JSON paths as SQLite 3.40 reads them: '$' followed by steps ".key",
// '."quoted key"', "[N]", "[#]" and "[#-N]". A path that cannot be read is
// an error, "JSON path error near '...'" quoting the rest of the path from
// the step that failed; a well-formed path that matches nothing is not an
// error, the function just finds no value.

// jsonPathError is SQLite's message for a malformed path.
func jsonPathError(near string) error {
	return resultcode.Errorf(resultcode.Error, "JSON path error near '%s'", strings.ReplaceAll(near, "'", "''"))
}

// jsonLookup follows path from root. With create set (json_set and
// json_insert), missing object members and the array element just past
// the end are created, as null placeholders that the caller then
// replaces; created reports that. A nil node with a nil error means the
// path matched nothing.
func jsonLookup(root *jsonNode, path string, create bool) (n *jsonNode, created bool, err error) {
	if path == "" || path[0] != '$' {
		return nil, false, jsonPathError(path)
	}
	l := jsonLookupState{create: create}
	n = l.step(root, path[1:])
	if l.errAt != nil {
		return nil, false, jsonPathError(*l.errAt)
	}
	return n, l.created, nil
}

type jsonLookupState struct {
	create  bool
	created bool
	errAt   *string // the rest of the path where reading it failed
}

func (l *jsonLookupState) fail(rest string) *jsonNode {
	l.errAt = &rest
	return nil
}

// labelIs compares an object label with a key from a path. Labels are
// compared as written, so "\u0061" is not the key a.
func labelIs(label *jsonNode, key string) bool {
	if label.rawText {
		return string(label.text) == key
	}
	return len(label.text) == len(key)+2 && string(label.text[1:len(label.text)-1]) == key
}

func (l *jsonLookupState) step(n *jsonNode, path string) *jsonNode {
	if path == "" {
		return n
	}
	if n.replaced != nil {
		return nil
	}
	switch path[0] {
	case '.':
		return l.member(n, path[1:])
	case '[':
		return l.element(n, path)
	}
	return l.fail(path)
}

// member follows ".key" (path is what follows the dot).
func (l *jsonLookupState) member(n *jsonNode, path string) *jsonNode {
	if n.kind != jsonObject {
		return nil
	}
	var key, rest string
	if strings.HasPrefix(path, `"`) {
		end := strings.IndexByte(path[1:], '"')
		if end < 0 {
			return l.fail(path)
		}
		key, rest = path[1:1+end], path[2+end:]
	} else {
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			end = len(path)
		}
		if end == 0 {
			return l.fail(path)
		}
		key, rest = path[:end], path[end:]
	}
	for i := 0; i+1 < len(n.kids); i += 2 {
		if labelIs(n.kids[i], key) {
			return l.step(n.kids[i+1], rest)
		}
	}
	if !l.create {
		return nil
	}
	top, leaf := l.placeholder(rest)
	if leaf != nil {
		label := &jsonNode{kind: jsonString, text: []byte(key), rawText: true}
		n.kids = append(n.kids, label, top)
	}
	return leaf
}

// element follows "[N]", "[#]" or "[#-N]".
func (l *jsonLookupState) element(n *jsonNode, path string) *jsonNode {
	// Indexes wrap at 32 bits as in SQLite.
	var idx uint32
	j := 1
	for j < len(path) && isDigit(path[j]) {
		idx = idx*10 + uint32(path[j]-'0')
		j++
	}
	if j < 2 || j >= len(path) || path[j] != ']' {
		if len(path) < 2 || path[1] != '#' {
			return l.fail(path)
		}
		if n.kind != jsonArray {
			return nil
		}
		idx = 0
		for _, k := range n.kids {
			if !k.removed {
				idx++
			}
		}
		j = 2
		if len(path) > 3 && path[2] == '-' && isDigit(path[3]) {
			var x uint32
			for j = 3; j < len(path) && isDigit(path[j]); j++ {
				x = x*10 + uint32(path[j]-'0')
			}
			if x > idx {
				return nil
			}
			idx -= x
		}
		if j >= len(path) || path[j] != ']' {
			return l.fail(path)
		}
	}
	if n.kind != jsonArray {
		return nil
	}
	rest := path[j+1:]
	// SQLite 3.40 keeps the elements json_set appended in segments of
	// one element after the parsed ones, and its scan does not stop at
	// the element it found: it goes on to the next segment and lands on
	// that segment's first element. So once an array has grown, every
	// index names its last element. The scan below reproduces that.
	k, end := 0, len(n.kids)-n.appended
	for {
		for k < end && (idx > 0 || n.kids[k].removed) {
			if !n.kids[k].removed {
				idx--
			}
			k++
		}
		if end == len(n.kids) {
			break
		}
		k, end = end, end+1
	}
	if k < end {
		return l.step(n.kids[k], rest)
	}
	if idx != 0 || !l.create {
		return nil
	}
	top, leaf := l.placeholder(rest)
	if leaf != nil {
		n.kids = append(n.kids, top)
		n.appended++
	}
	return leaf
}

// placeholder builds the missing part of a path for json_set and
// json_insert: empty objects for ".key" steps, empty arrays for "[0]"
// steps, and a null at the end. Any other step creates nothing. top is
// the new value to link into the parent, leaf the null at the end.
func (l *jsonLookupState) placeholder(rest string) (top, leaf *jsonNode) {
	l.created = true
	switch {
	case rest == "":
		top = &jsonNode{kind: jsonNull}
		return top, top
	case rest[0] == '.':
		top = &jsonNode{kind: jsonObject}
	case strings.HasPrefix(rest, "[0]"):
		top = &jsonNode{kind: jsonArray}
	default:
		return nil, nil
	}
	return top, l.step(top, rest)
}
