package jsonx

import (
	"strconv"
	"testing"
)

// What a Scanner takes, Unmarshal takes, to the same value: Skip accepts
// only JSON, String and Int only what they decode exactly as Unmarshal.
func TestScannerAsUnmarshal(t *testing.T) {
	docs := []string{`"plain"`, `"caf\u00e9 \"q\" \/"`, `"ключ"`, "\"bad \xff\"", `0`, `-12`, `2147483647`}
	if strconv.IntSize == 64 {
		docs = append(docs, `123456789012345678`, `-123456789012345678`)
	}
	for _, doc := range docs {
		if !scanAgrees(t, []byte(doc)) {
			t.Errorf("the Scanner refuses %q", doc)
		}
	}
	for _, doc := range []string{`{"a":[1,2.5e-3,{"b":null}],"c":true,"d":false}`, `[]`, `{}`, ` [ "x" , -0 ] `} {
		s := NewScanner([]byte(doc))
		if !s.Skip() || !s.End() {
			t.Errorf("Skip refuses %q", doc)
		}
	}
}

func TestScannerRefusesWhatIsNotJSON(t *testing.T) {
	for _, doc := range []string{`{"a":}`, `[1,]`, `{"a" 1}`, `01`, `1.`, `-`, `1e`, `"\x"`, `"\u12"`, "\"a\nb\"", `tru`, `nul`, `{"a":1`, `"open`, `[1 2]`} {
		s := NewScanner([]byte(doc))
		if s.Skip() && s.End() {
			t.Errorf("Skip accepts %q", doc)
		}
	}
	outOfInt := []string{`1.0`, `1e2`, `1234567890123456789`, `"1"`, `null`}
	if strconv.IntSize == 32 {
		outOfInt = append(outOfInt, `2147483648`, `-2147483649`, `999999999999999999`)
	}
	for _, doc := range outOfInt {
		s := NewScanner([]byte(doc))
		if _, ok := s.Int(); ok && s.End() {
			t.Errorf("Int accepts %q", doc)
		}
	}
}

// scanAgrees reports whether the Scanner reads doc as a string or an int,
// failing t when Unmarshal reads it otherwise.
func scanAgrees(t *testing.T, doc []byte) bool {
	t.Helper()
	took := false
	s := NewScanner(doc)
	if v, ok := s.String(); ok && s.End() {
		took = true
		var want string
		if err := Unmarshal(doc, &want); err != nil || want != v {
			t.Fatalf("String(%q) = %q; Unmarshal: %q, %v", doc, v, want, err)
		}
	}
	s = NewScanner(doc)
	if v, ok := s.Int(); ok && s.End() {
		took = true
		var want int
		if err := Unmarshal(doc, &want); err != nil || want != v {
			t.Fatalf("Int(%q) = %d; Unmarshal: %d, %v", doc, v, want, err)
		}
	}
	return took
}

func FuzzScanner(f *testing.F) {
	for _, seed := range []string{`{"a":[1,2.5e-3,{"b":null}],"c":"x\u00e9"}`, `"caf\u00e9"`, `-12`, "\"\xff\""} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := append([]byte(nil), data...)
		scanAgrees(t, doc)
		s := NewScanner(doc)
		if s.Skip() && s.End() {
			// A skipped value is a member nothing reads, as Unmarshal skips one.
			var v struct{}
			if err := Unmarshal([]byte(`{"skipped":`+string(doc)+`}`), &v); err != nil {
				t.Fatalf("Skip accepts %q, which Unmarshal refuses: %v", doc, err)
			}
		}
	})
}
