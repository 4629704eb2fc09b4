package provider

// WriteChecker is an optional capability: it checks a create or an update
// the way Create and Update check their input before sending anything, and
// sends nothing itself (no request, no warning). It returns the same
// ValidationError Create or Update would. A command making many writes
// (apply) checks every one of them first, so that bad input never stops it
// half-way.
//
// What only the provider's current state can tell (an update read back
// first) is not checked.
type WriteChecker interface {
	CheckCreate(req CreateRequest) error
	CheckUpdate(req UpdateRequest) error
}
