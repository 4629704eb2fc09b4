package output

import "bytes"

// JSON colours, as gh uses them.
const (
	jsonKey    = "\x1b[1;34m"
	jsonString = "\x1b[32m"
	jsonLit    = "\x1b[36m"
)

// ColorJSON colours indented JSON for a terminal: keys, strings, and numbers,
// booleans and null. The text between the codes is the JSON unchanged.
func ColorJSON(in []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(in) + len(in)/4)
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(in) && in[j] != '"' {
				if in[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(in))
			k := j
			for k < len(in) && in[k] == ' ' {
				k++
			}
			color := jsonString
			if k < len(in) && in[k] == ':' {
				color = jsonKey
			}
			out.WriteString(color)
			out.Write(in[i:j])
			out.WriteString(reset)
			i = j
		case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
			j := i
			for j < len(in) && !bytes.ContainsRune([]byte(",]}\n \t"), rune(in[j])) {
				j++
			}
			out.WriteString(jsonLit)
			out.Write(in[i:j])
			out.WriteString(reset)
			i = j
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.Bytes()
}
