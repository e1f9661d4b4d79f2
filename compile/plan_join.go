package compile

// Join ordering.
//
// Each order of the joined sources is costed as the work of its nested
// loops: a level's cost (the rows it visits per outer row, as chooseAccess
// estimates them) multiplied by the rows of the levels outside it, plus a
// one-time full scan for an automatic index. Small joins try every order;
// larger ones place the cheapest next source greedily. A LEFT JOIN keeps
// the FROM order, which fixes which side may be NULL.
//
// The finer points follow SQLite's costs where they decide its orders: a
// full scan that planCovering will turn into a scan of a narrower
// covering index costs less per row, so such a source goes inside (the
// outermost scan's cost does not count, as it is lost in the inner
// loops'); a partial index, assumed to hold half the rows, and a scan
// whose rows the terms at its level filter, produce fewer rows, so they
// go outside.

// exhaustiveJoin is the most sources whose every order is costed.
const exhaustiveJoin = 5

func (c *compiler) joinOrder(sc *scope, terms []*wterm, fromOrder bool) []planLevel {
	n := len(sc.srcs)
	if fromOrder || n <= 1 || n > exhaustiveJoin {
		return c.greedyJoin(sc, terms, fromOrder)
	}
	var best []planLevel
	bestCost := 0.0
	used := make([]bool, n)
	var try func(avail uint64, outer, cost float64, levels []planLevel)
	try = func(avail uint64, outer, cost float64, levels []planLevel) {
		if best != nil && cost >= bestCost {
			return
		}
		if len(levels) == n {
			best = append([]planLevel(nil), levels...)
			bestCost = cost
			return
		}
		for i := 0; i < n; i++ {
			if used[i] {
				continue
			}
			a := c.chooseAccess(sc, i, avail, terms, len(levels) > 0)
			run, rows := c.coveringScan(sc, i, a, terms)
			if len(levels) == 0 {
				// The outermost scan's cost is lost in the inner loops'
				// (SQLite adds its costs as logarithms): a cheaper one
				// does not change the order.
				run = 1
			}
			step := outer * a.cost * run
			if a.kind == accessAutoIndex {
				step += scanCost
			}
			if a.kind == accessScan {
				rows *= scanFilter(terms, i, avail)
			}
			used[i] = true
			try(avail|1<<uint(i), outer*a.cost*rows, cost+step, append(levels, planLevel{src: i, acc: a}))
			used[i] = false
		}
	}
	try(0, 1, 0, nil)
	return best
}

// scanFilter is the share of a full scan's rows of source si that the
// terms checked at its level let through, as SQLite estimates it: each
// term that reads si and only sources already placed (avail) removes a
// little (one unit of its logarithmic estimate, about 7%). It only breaks
// ties between orders: among equal scans, the filtered one goes outside.
func scanFilter(terms []*wterm, si int, avail uint64) float64 {
	f := 1.0
	self := uint64(1) << uint(si)
	for _, t := range terms {
		if t.mask&self == 0 || t.mask&^(avail|self) != 0 || (t.onSrc >= 0 && t.onSrc != si) {
			continue
		}
		f *= filterStep
	}
	return f
}

// filterStep is 2^(-1/10), one unit of SQLite's LogEst.
const filterStep = 0.9330329915368074

// greedyJoin places, level by level, the source that is cheapest to add
// (with fromOrder, simply the next one in FROM order).
func (c *compiler) greedyJoin(sc *scope, terms []*wterm, fromOrder bool) []planLevel {
	srcs := sc.srcs
	var levels []planLevel
	var avail uint64
	placed := make([]bool, len(srcs))
	for len(levels) < len(srcs) {
		bestI := -1
		var bestA access
		for i := range srcs {
			if placed[i] {
				continue
			}
			a := c.chooseAccess(sc, i, avail, terms, len(levels) > 0)
			if bestI < 0 || a.cost < bestA.cost {
				bestI, bestA = i, a
			}
			if fromOrder {
				break
			}
		}
		placed[bestI] = true
		avail |= 1 << uint(bestI)
		levels = append(levels, planLevel{src: bestI, acc: bestA})
	}
	return levels
}
