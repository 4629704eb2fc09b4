package webhooks

import (
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// EventsOptions are the parsed flags of `webhooks events`.
type EventsOptions struct {
	Factory *cmdutil.Factory
}

// NewCmdEvents is `hookctl webhooks events`: the known event catalog. It
// needs no credentials; without a provider it lists every provider's.
func NewCmdEvents(f *cmdutil.Factory, runF func(*cobra.Command, *EventsOptions) error) *cobra.Command {
	o := &EventsOptions{Factory: f}
	return &cobra.Command{
		Use:     "events",
		Short:   "List the provider's known event catalog",
		Example: providerExamples(f, "events", ""),
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd, o)
			}
			return eventsRun(o)
		},
	}
}

func eventsRun(o *EventsOptions) error {
	f := o.Factory
	s, err := f.Config()
	if err != nil {
		return err
	}
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	events := []provider.EventInfo{}
	for _, info := range f.Registry() {
		if s.Provider == "" || s.Provider == info.Name {
			events = append(events, info.Events()...)
		}
	}
	t := &output.Table{}
	withContext := false
	for _, e := range events {
		if e.Context != "" {
			withContext = true
		}
	}
	t.Header = []string{"provider", "name"}
	if withContext {
		t.Header = []string{"provider", "context", "name"}
	}
	for _, e := range events {
		t.Names = append(t.Names, e.Name)
		if withContext {
			t.Rows = append(t.Rows, []string{e.Provider, e.Context, e.Name})
		} else {
			t.Rows = append(t.Rows, []string{e.Provider, e.Name})
		}
	}
	if err := f.IOStreams.StartPager(); err != nil {
		return err
	}
	defer f.IOStreams.StopPager()
	return p.Print(f.IOStreams.Out, events, t)
}
