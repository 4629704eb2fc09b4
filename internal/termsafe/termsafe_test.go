package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain https://example.com/h?a=1": "plain https://example.com/h?a=1",
		"ünïcode ok ✓":                    "ünïcode ok ✓",
		"osc52 \x1b]52;c;aGk=\x07 end":    "osc52 ^[]52;c;aGk=^G end",
		"clear \x1b[2J\x1b[31mred\x1b[0m": "clear ^[[2J^[[31mred^[[0m",
		"c1 csi \u009b31m":                `c1 csi \u009b31m`,
		"del \x7f nul \x00 bs \b":         "del ^? nul ^@ bs ^H",
		"cr\rlf\ntab\t":                   "cr^Mlf^Jtab\t",
		"bidi \u202egnp.exe":              `bidi \u202egnp.exe`,
		"bad \xff\xfe utf8":               "bad \ufffd\ufffd utf8",
		"":                                "",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Text("a\nb\x1b[2J\n"); got != "a\nb^[[2J\n" {
		t.Errorf("Text kept no newline or left ESC: %q", got)
	}
}

func FuzzLine(f *testing.F) {
	f.Add("\x1b]52;c;aGk=\x07\u009b\x7f\r\n\xff")
	f.Fuzz(func(t *testing.T, s string) {
		got := Line(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		for _, r := range got {
			if r < 0x20 && r != '\t' || r == 0x7f || hidden(r) {
				t.Fatalf("%q kept %U", got, r)
			}
		}
		if strings.ContainsAny(Text(s), "\x1b\r\x07") {
			t.Fatalf("Text(%q) kept a control", s)
		}
	})
}

func BenchmarkLine(b *testing.B) {
	s := strings.Repeat("https://example.com/hooks/conekta order.paid listening ", 20)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Line(s)
	}
}
