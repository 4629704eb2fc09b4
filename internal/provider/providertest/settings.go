package providertest

import (
	"os"

	"github.com/hookctl/hookctl/internal/provider"
)

// Settings is a provider.Settings over plain key values, with the defaults
// the registration declares; paths are taken as given.
type Settings struct {
	Info   provider.Info
	Values map[string]string
}

func (s Settings) String(key string) string {
	if v := s.Values[key]; v != "" {
		return v
	}
	for _, k := range s.Info.Keys {
		if k.Name == key {
			return k.Default
		}
	}
	return ""
}

func (s Settings) Path(key string) string { return s.Values[key] }

func (s Settings) Secret(valueKey, fileKey string) (string, error) {
	if v := s.Values[valueKey]; v != "" || fileKey == "" {
		return v, nil
	}
	_, data, err := s.ReadFile(fileKey)
	return string(data), err
}

func (s Settings) ReadFile(key string) (string, []byte, error) {
	p := s.Values[key]
	if p == "" {
		return "", nil, nil
	}
	data, err := os.ReadFile(p)
	return p, data, err
}

// Str is a pointer to s, for the optional fields of requests.
func Str(s string) *string { return &s }

// In builds declared inputs from name, value pairs.
func In(pairs ...string) provider.Values {
	v := provider.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v[pairs[i]] = append(v[pairs[i]], pairs[i+1])
	}
	return v
}
