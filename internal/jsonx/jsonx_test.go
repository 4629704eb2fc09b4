package jsonx

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

type item struct {
	ID       string          `json:"id"`
	N        int             `json:"n"`
	Ptr      *int            `json:"ptr"`
	Raw      json.RawMessage `json:"raw,omitempty"`
	List     []sub           `json:"list"`
	Optional string          `json:"optional,omitempty"`
}

type sub struct {
	Code int `json:"code"`
}

// Unmarshal decodes what encoding/json decodes, to the same values.
func TestUnmarshalAsEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`{"id":"a","n":1,"ptr":2,"raw":{"x":[1,2]},"list":[{"code":500},{"code":200}]}`,
		`{"ID":"case","N":3}`,                          // names in another case
		`{"id":"first","id":"last"}`,                   // a repeated member: the last wins
		"{\"id\":\"bad \xff utf-8\"}",                  // invalid UTF-8 replaced
		`{"id":"x","unknown":{"deep":[1,{"a":null}]}}`, // unknown members skipped
		`{"id":null,"ptr":null,"list":null}`,
		`  {"id":"spaces"}  `,
	} {
		var want, got item
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("encoding/json refuses %q: %v", doc, err)
		}
		if err := Unmarshal([]byte(doc), &got); err != nil {
			t.Fatalf("Unmarshal(%q): %v", doc, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Unmarshal(%q) = %+v, encoding/json %+v", doc, got, want)
		}
	}
}

// What encoding/json refuses, Unmarshal refuses too: a hostile answer is an
// error, never a partial value taken for the whole.
func TestUnmarshalRefusesWhatEncodingJSONRefuses(t *testing.T) {
	for _, doc := range []string{
		`{"id":"a"`, `{"id":"a"} {"id":"b"}`, `{"n":"1"}`, `{"n":1.5}`, `[1]`, ``, `{"list":{"code":1}}`, `{"id":"a",}`,
	} {
		var v item
		if json.Unmarshal([]byte(doc), &v) == nil {
			t.Fatalf("encoding/json accepts %q", doc)
		}
		if err := Unmarshal([]byte(doc), &v); err == nil {
			t.Errorf("Unmarshal(%q) accepted it", doc)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"id":"a","n":1,"list":[{"code":500}]}`))
	f.Add([]byte(`{"ID":"a","raw":[1,"x",null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var want, got item
		werr := json.Unmarshal(data, &want)
		gerr := Unmarshal(data, &got)
		if werr == nil && gerr != nil {
			t.Fatalf("encoding/json accepts %q, Unmarshal refuses it: %v", data, gerr)
		}
		if werr != nil && gerr == nil {
			t.Fatalf("encoding/json refuses %q (%v), Unmarshal accepts it", data, werr)
		}
		if werr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("Unmarshal(%q) = %+v, encoding/json %+v", data, got, want)
		}
	})
}

// v1Indent is what MarshalIndent must equal: encoding/json's Encoder
// without HTML escaping, then json.Indent.
func v1Indent(v any, prefix, indent string) ([]byte, error) {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), prefix, indent); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

type printed struct {
	Name    string            `json:"name"`
	Ptr     *string           `json:"ptr"`
	N       *int              `json:"n"`
	Zero    int               `json:"zero,omitempty"`
	Empty   string            `json:"empty,omitempty"`
	Nil     []string          `json:"nil"`
	NilMap  map[string]string `json:"nil_map"`
	Map     map[string]any    `json:"map"`
	Raw     json.RawMessage   `json:"raw"`
	RawNil  json.RawMessage   `json:"raw_nil"`
	Skipped string            `json:"-"`
	Bytes   []byte            `json:"bytes"`
	F       float64           `json:"f"`
	Inner   []sub             `json:"inner"`
}

func TestMarshalIndentAsEncodingJSON(t *testing.T) {
	s, n := "x", 7
	for _, v := range []any{
		printed{Name: "plain", Ptr: &s, N: &n, Map: map[string]any{"b": 1, "a": []any{"x", nil, true, 1.5}}, Raw: json.RawMessage(` { "k" : [ 1 , 2 ] } `),
			Bytes: []byte("bin"), F: 1e21, Inner: []sub{{1}, {2}}},
		printed{Name: "<html> & \u2028 \u2029 \x01 \x7f \u0085 \t\n\"\\ é 日本"},
		printed{Name: "bad \xff utf-8", Map: map[string]any{}, Inner: []sub{}},
		[]any{}, map[string]any{}, nil, "string", 12, json.RawMessage(`[1,{"a":"b"}]`),
		[]printed{{}, {Name: "two"}},
	} {
		for _, pi := range [][2]string{{"", "  "}, {"  ", "  "}} {
			want, werr := v1Indent(v, pi[0], pi[1])
			got, gerr := MarshalIndent([]byte("keep:"), v, pi[0], pi[1])
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("%#v: encoding/json err %v, MarshalIndent err %v", v, werr, gerr)
			}
			if string(got) != "keep:"+string(want) {
				t.Errorf("MarshalIndent(%#v, %q, %q) =\n%s\nencoding/json:\n%s", v, pi[0], pi[1], got, want)
			}
		}
	}
}

func FuzzMarshalIndent(f *testing.F) {
	f.Add("plain", "https://example.com/a?b=c&d=<e>", 500)
	f.Add("\u2028\x00\xff\x7f", "\u0085", -1)
	f.Fuzz(func(t *testing.T, name, url string, code int) {
		v := printed{Name: name, Ptr: &url, N: &code, Map: map[string]any{name: url, url: code}, Inner: []sub{{code}}}
		want, werr := v1Indent(v, "  ", "  ")
		got, gerr := MarshalIndent(nil, v, "  ", "  ")
		if (werr == nil) != (gerr == nil) || string(got) != string(want) {
			t.Fatalf("MarshalIndent(%#v) =\n%s (%v)\nencoding/json:\n%s (%v)", v, got, gerr, want, werr)
		}
	})
}
