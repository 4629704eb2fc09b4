// Command hookctl manages webhook configurations at payment providers.
package main

import (
	"os"

	"github.com/hookctl/hookctl/cmd"
)

func main() {
	os.Exit(cmd.Main())
}
