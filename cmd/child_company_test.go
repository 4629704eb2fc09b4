package cmd_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestChildCompanyWebhooksAreSeparate: the Conekta emulator keeps each child
// company's webhooks apart (X-Child-Company-Id), so a webhook created under
// child co_1 is listed only there, and --child-companies fans out for real.
func TestChildCompanyWebhooksAreSeparate(t *testing.T) {
	conektaEmu(t, nil)
	out, errOut, code := run(t, false, "--profile", "c", "webhooks", "create", "--child-company", "co_1", "--url", "https://example.com/child", "--events", "order.paid", "-o", "json")
	var created struct{ ID, URL string }
	if code != 0 || json.Unmarshal([]byte(out), &created) != nil || created.ID == "" {
		t.Fatalf("create under co_1: exit %d %s %s", code, out, errOut)
	}
	ids := func(args ...string) []string {
		t.Helper()
		out, errOut, code := run(t, false, append([]string{"--profile", "c", "webhooks", "list", "-o", "json"}, args...)...)
		var items []struct{ ID string }
		if code != 0 || json.Unmarshal([]byte(out), &items) != nil {
			t.Fatalf("list %v: exit %d %s %s", args, code, out, errOut)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.ID)
		}
		return got
	}
	if got := ids("--child-company", "co_1"); len(got) != 1 || got[0] != created.ID {
		t.Fatalf("co_1 lists %v, want [%s]", got, created.ID)
	}
	if got := ids(); len(got) != 0 {
		t.Fatalf("the parent lists %v, want none", got)
	}
	if got := ids("--child-company", "co_2"); len(got) != 0 {
		t.Fatalf("co_2 lists %v, want none", got)
	}
	if _, _, code := run(t, false, "--profile", "c", "webhooks", "get", created.ID); code != 4 {
		t.Fatalf("get at the parent: exit %d, want 4", code)
	}
	out, errOut, code = run(t, false, "--profile", "c", "webhooks", "list", "--child-companies", "co_1,co_2", "-o", "json")
	var fan struct {
		Results []struct {
			Target string
			OK     bool
			Data   []struct{ ID string }
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &fan) != nil || len(fan.Results) != 2 {
		t.Fatalf("--child-companies: exit %d %s %s", code, out, errOut)
	}
	for _, r := range fan.Results {
		want := 0
		if strings.HasSuffix(r.Target, "co_1") {
			want = 1
		}
		if !r.OK || len(r.Data) != want || (want == 1 && r.Data[0].ID != created.ID) {
			t.Fatalf("--child-companies: target %s has %v, want %d webhooks\n%s", r.Target, r.Data, want, out)
		}
	}
	if _, errOut, code := run(t, false, "--profile", "c", "webhooks", "delete", created.ID, "--child-company", "co_1", "--yes"); code != 0 {
		t.Fatalf("delete under co_1: exit %d %s", code, errOut)
	}
	if got := ids("--child-company", "co_1"); len(got) != 0 {
		t.Fatalf("co_1 lists %v after the delete", got)
	}
}
