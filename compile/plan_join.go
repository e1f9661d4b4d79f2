package compile

// Join ordering.
//
// Each order of the joined sources is costed as the work of its nested
// loops: a level's cost (the rows it visits per outer row, as chooseAccess
// estimates them) multiplied by the rows of the levels outside it, plus a
// one-time full scan for an automatic index. Small joins try every order;
// larger ones place the cheapest next source greedily. A LEFT JOIN keeps
// the FROM order, which fixes which side may be NULL.

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
			step := outer * a.cost
			if a.kind == accessAutoIndex {
				step += scanCost
			}
			used[i] = true
			try(avail|1<<uint(i), outer*a.cost, cost+step, append(levels, planLevel{src: i, acc: a}))
			used[i] = false
		}
	}
	try(0, 1, 0, nil)
	return best
}

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
