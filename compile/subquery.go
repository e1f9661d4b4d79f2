package compile

import (
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// subqueryOnce runs gen (which compiles a subquery) and, unless the
// subquery turned out to be correlated, guards it with a Once so that it
// runs only the first time it is reached.
func (c *compiler) subqueryOnce(sc *scope, gen func(sub *scope) error) error {
	once := c.emit(vdbe.CodeOnce, 0, 0, 0)
	skip := c.newLabel()
	c.ops[once].P2 = int32(skip)
	probe := &scope{parent: sc}
	endPlan := c.beginSubPlan()
	err := gen(probe)
	endPlan(probe.correlated)
	if err != nil {
		return err
	}
	if probe.correlated {
		c.ops[once].Code = vdbe.CodeNoop
		c.ops[once].P2 = 0
	}
	c.place(skip)
	return nil
}

// Subqueries are compiled with the probe scope as their parent; probe
// forwards name lookups to sc and records whether any name resolved
// outside the subquery.

func (c *compiler) scalarSubquery(sc *scope, e *ast.Subquery, target int) error {
	r := c.reg()
	c.nextSub = &subPlan{kind: "SCALAR", sel: e.Select}
	err := c.subqueryOnce(sc, func(probe *scope) error {
		done := c.newLabel()
		c.emit(vdbe.CodeNull, 0, r, 0)
		_, err := c.compileSelect(probeParent(sc, probe), e.Select, &dest{kind: destScalar, reg: r, done: done})
		c.place(done)
		if err == nil {
			probe.correlated = probeCorrelated(sc, probe)
		}
		return err
	})
	if err != nil {
		return err
	}
	c.emit(vdbe.CodeCopy, r, target, 1)
	return nil
}

func (c *compiler) existsExpr(sc *scope, e *ast.Exists, target int) error {
	r := c.reg()
	c.nextSub = &subPlan{kind: "SCALAR", sel: e.Select}
	err := c.subqueryOnce(sc, func(probe *scope) error {
		done := c.newLabel()
		c.emit(vdbe.CodeInteger, 0, r, 0)
		_, err := c.compileSelect(probeParent(sc, probe), e.Select, &dest{kind: destExists, reg: r, done: done})
		c.place(done)
		if err == nil {
			probe.correlated = probeCorrelated(sc, probe)
		}
		return err
	})
	if err != nil {
		return err
	}
	c.emit(vdbe.CodeCopy, r, target, 1)
	return nil
}

// probeParent returns the scope a subquery should see as its parent. The
// probe is a transparent scope with no sources of its own whose parent is
// sc; a name the subquery resolves in sc (or above) marks the probe, and
// so the subquery, as correlated.
func probeParent(sc *scope, probe *scope) *scope {
	if sc == nil {
		return nil
	}
	return probe
}

func probeCorrelated(sc *scope, probe *scope) bool {
	return sc != nil && probe.correlated
}

// inExpr evaluates x IN (list) or x IN (subquery) into target with SQL's
// three-valued result.
func (c *compiler) inExpr(sc *scope, e *ast.In, target int) error {
	if e.Table != nil {
		sel := &ast.Select{Core: &ast.SelectCore{
			Columns: []ast.ResultColumn{{Star: true}},
			From:    &ast.From{Items: []ast.JoinItem{{Source: &ast.TableName{Name: *e.Table}}}},
		}}
		return c.inExpr(sc, &ast.In{Not: e.Not, X: e.X, Select: sel}, target)
	}
	if _, ok := e.X.(*ast.Row); ok {
		return errorf("row value misused")
	}
	yes, no := int64(1), int64(0)
	if e.Not {
		yes, no = 0, 1
	}
	end, found, null := c.newLabel(), c.newLabel(), c.newLabel()
	if e.Select == nil {
		if len(e.List) == 0 {
			c.loadInt(target, no)
			return nil
		}
		rx, err := c.exprReg(sc, e.X)
		if err != nil {
			return err
		}
		c.emit(vdbe.CodeIsNull, rx, null, 0)
		affX := c.exprAffinity(sc, e.X)
		collName, _ := c.exprCollation(sc, e.X)
		collX, err := collation(collName)
		if err != nil {
			return err
		}
		sawNull := c.reg()
		c.emit(vdbe.CodeInteger, 0, sawNull, 0)
		for _, item := range e.List {
			if _, ok := item.(*ast.Row); ok {
				return errorf("row value misused")
			}
			ri, err := c.exprReg(sc, item)
			if err != nil {
				return err
			}
			notNull := c.newLabel()
			c.emit(vdbe.CodeNotNull, ri, notNull, 0)
			c.emit(vdbe.CodeInteger, 1, sawNull, 0)
			c.place(notNull)
			// Each item is compared under the affinity and collation of
			// the left operand alone, as SQLite's IN does.
			c.emitP4(vdbe.CodeEq, rx, found, ri, vdbe.P4{Int: int64(affX) | int64(vdbe.AffinityNone)<<8, Coll: collX})
		}
		c.emit(vdbe.CodeIf, sawNull, null, 0)
		c.loadInt(target, no)
		c.emit(vdbe.CodeGoto, 0, end, 0)
	} else {
		rx, err := c.exprReg(sc, e.X)
		if err != nil {
			return err
		}
		cur := c.cursor()
		// The comparison affinity of x and the subquery's column is applied
		// to the stored values and to the probe.
		aff := vdbe.ComparisonAffinity(c.exprAffinity(sc, e.X), c.subqueryAffinity(sc, e.Select))
		collName, explicit := c.exprCollation(sc, e.X)
		if !explicit {
			if n, _ := c.subqueryCollation(sc, e.Select); collName == "" {
				collName = n
			}
		}
		ki, err := c.keyInfo([]string{collName}, nil)
		if err != nil {
			return err
		}
		affStr := ""
		if aff != vdbe.AffinityNone && aff != vdbe.AffinityBlob {
			affStr = string(rune(aff))
		}
		c.nextSub = &subPlan{kind: "LIST", sel: e.Select}
		err = c.subqueryOnce(sc, func(probe *scope) error {
			c.emitP4(vdbe.CodeOpenEphemeral, cur, 1, 0, vdbe.P4{KeyInfo: ki})
			info, err := c.compileSelect(probeParent(sc, probe), e.Select, &dest{kind: destIndex, cursor: cur, affinity: affStr})
			if err != nil {
				return err
			}
			if len(info.names) != 1 {
				return errorf("sub-select returns %d columns - expected 1", len(info.names))
			}
			probe.correlated = probeCorrelated(sc, probe)
			return nil
		})
		if err != nil {
			return err
		}
		empty := c.newLabel()
		c.emit(vdbe.CodeRewind, cur, empty, 0)
		c.emit(vdbe.CodeIsNull, rx, null, 0)
		probe := c.reg()
		c.emit(vdbe.CodeCopy, rx, probe, 1)
		if affStr != "" {
			c.emitP4(vdbe.CodeAffinity, probe, 1, 0, vdbe.P4{Str: affStr})
		}
		c.emitP4(vdbe.CodeFound, cur, found, probe, vdbe.P4{Int: 1})
		nul := c.reg()
		c.emit(vdbe.CodeNull, 0, nul, 0)
		c.emitP4(vdbe.CodeFound, cur, null, nul, vdbe.P4{Int: 1})
		c.place(empty)
		c.loadInt(target, no)
		c.emit(vdbe.CodeGoto, 0, end, 0)
	}
	c.place(found)
	c.loadInt(target, yes)
	c.emit(vdbe.CodeGoto, 0, end, 0)
	c.place(null)
	c.emit(vdbe.CodeNull, 0, target, 0)
	c.place(end)
	return nil
}
