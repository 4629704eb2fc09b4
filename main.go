// Command hookctl manages webhook configurations at payment providers.
package main

import (
	"os"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/startheap"
)

func main() {
	startheap.Set(24 << 20)
	os.Exit(cmd.Main())
}
