package vdbe

// json_patch(T, P): RFC 7396 MergePatch of T by P, as SQLite 3.40
// applies it. Labels are compared as written (escapes included); a label
// that T holds twice is patched at its first occurrence only, and a label
// that P holds twice is applied once when T had it and added twice when
// T did not, which is what SQLite's in-place algorithm produces.

func fnJSONPatch(fc *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	p := getJSONParser()
	defer p.release()
	target, err := p.arg(&args[0])
	if target == nil {
		return err
	}
	patch, err := p.arg(&args[1])
	if patch == nil {
		return err
	}
	return setJSONResult(fc, out, mergePatch(target, patch))
}

// sameLabel compares two labels as written.
func sameLabel(a, b *jsonNode) bool { return string(a.text) == string(b.text) }

// mergePatch applies patch to target and returns the value that replaces
// target: target itself, edited in place, or (part of) the patch.
func mergePatch(target, patch *jsonNode) *jsonNode {
	if patch.kind != jsonObject {
		return patch
	}
	if target.kind != jsonObject {
		removeNulls(patch)
		return patch
	}
	original := len(target.kids)
	for i := 0; i+1 < len(patch.kids); i += 2 {
		label, value := patch.kids[i], patch.kids[i+1]
		found := false
		for j := 0; j+1 < original; j += 2 {
			if !sameLabel(target.kids[j], label) {
				continue
			}
			found = true
			old := target.kids[j+1]
			if old.removed || old.patch != nil {
				break
			}
			if value.kind == jsonNull {
				old.removed = true
				break
			}
			if merged := mergePatch(old, value); merged != old {
				old.patch = merged
			}
			break
		}
		if !found && value.kind != jsonNull {
			removeNulls(patch)
			target.kids = append(target.kids, label, &jsonNode{kind: jsonTrue, patch: value})
		}
	}
	return target
}

// removeNulls drops the null members of an object and of the objects
// nested in it (not those inside arrays).
func removeNulls(n *jsonNode) {
	for i := 1; i < len(n.kids); i += 2 {
		switch v := n.kids[i]; v.kind {
		case jsonNull:
			v.removed = true
		case jsonObject:
			removeNulls(v)
		}
	}
}
