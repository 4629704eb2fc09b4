package provider

import "net/http"

// DetectAll returns every registered provider whose deliveries look like h:
// one is a match, none or more than one leaves the choice to the user.
func DetectAll(infos []Info, h http.Header) []Info {
	var out []Info
	for _, info := range infos {
		if info.Verifier != nil && info.Verifier.Detect(h) {
			out = append(out, info)
		}
	}
	return out
}
