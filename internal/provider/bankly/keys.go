package bankly

import (
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/validate"
)

// checkPublicKey and checkPrivateKey apply Bankly's documented limits.
func checkPublicKey(public string) error {
	if public == "" {
		return provider.Invalidf(inPublicKey, "{public-key} is required (or {generate-keys}): the value Bankly sends in every delivery's publicKey header")
	}
	if len(public) > MaxKeyLength {
		return provider.Invalidf(inPublicKey, "{public-key} is %d characters: Bankly takes at most %d", len(public), MaxKeyLength)
	}
	return nil
}

// checkKeyText checks a private key used as given: present and within Bankly's limit.
func checkKeyText(private string) error {
	if private == "" {
		return provider.Invalidf(inPrivateKey, "the webhook private key is required: give {private-key} (or {generate-keys} on create)")
	}
	if len(private) > MaxKeyLength {
		return provider.Invalidf(inPrivateKey, "the webhook private key is %d characters: Bankly takes at most %d", len(private), MaxKeyLength)
	}
	return nil
}

// checkPrivateKey checks a private key Bankly stores: its text, and base64.
func checkPrivateKey(private string) error {
	if err := checkKeyText(private); err != nil {
		return err
	}
	if !validate.Base64(private) {
		return provider.Invalidf(inPrivateKey, "the webhook private key is not valid base64: Bankly takes a base64 value (e.g. `head -c 32 /dev/urandom | base64`)")
	}
	return nil
}
