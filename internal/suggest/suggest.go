// Package suggest finds the names a mistyped word was probably meant to be.
package suggest

import "strings"

// Closest returns the candidates within a small edit distance of word,
// nearest first (at most three); case is ignored.
func Closest(word string, candidates []string) []string {
	w := strings.ToLower(word)
	limit := max(1, min(3, len(w)/3))
	type scored struct {
		s string
		d int
	}
	var best []scored
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := distance(w, strings.ToLower(c)); d <= limit {
			best = append(best, scored{c, d})
		}
	}
	for i := 1; i < len(best); i++ {
		for j := i; j > 0 && best[j].d < best[j-1].d; j-- {
			best[j], best[j-1] = best[j-1], best[j]
		}
	}
	var out []string
	for i := 0; i < len(best) && i < 3; i++ {
		out = append(out, best[i].s)
	}
	return out
}

// Hint is "; did you mean X?" (or "X or Y?"), or "" when nothing is close.
func Hint(word string, candidates []string) string {
	c := Closest(word, candidates)
	if len(c) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(c, " or ") + "?"
}

// distance is the optimal string alignment distance: insertions, deletions,
// substitutions and adjacent transpositions each cost one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
