package webhooks

import (
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// GetOptions are the parsed flags of `webhooks get`.
type GetOptions struct {
	Factory *cmdutil.Factory
	ID      string
	Raw     bool
}

// NewCmdGet is `hookctl webhooks get ID`.
func NewCmdGet(f *cmdutil.Factory, runF func(*cobra.Command, *GetOptions) error) *cobra.Command {
	o := &GetOptions{Factory: f}
	cmd := &cobra.Command{
		Use:               "get ID",
		Short:             "Show one webhook",
		Example:           "  hookctl webhooks get 6307a60c41de27127515a575\n  hookctl webhooks get 6307a60c41de27127515a575 -o json > hook.json",
		Args:              exactID,
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if runF != nil {
				return runF(cmd, o)
			}
			return getRun(cmd, o)
		},
	}
	cmd.Flags().BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	return cmd
}

func getRun(cmd *cobra.Command, o *GetOptions) error {
	f := o.Factory
	if _, err := f.Printer(o.Raw); err != nil {
		return err
	}
	prov, _, err := newProvider(f, cmd, provider.Read)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	w, err := prov.Get(ctx, o.ID)
	if err != nil {
		return err
	}
	return printWebhook(f, o.Raw, w)
}
