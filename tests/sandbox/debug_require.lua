-- Gets the debug library through require.
require("debug").getregistry()
