-- Modules found on --lua-path (tests give it src/test/resources/scripts/lib).
local pathmod = require("pathmod")
local nested = require("nested")
spoa.register_message("m", function()
	spoa.set_var_str("a", spoa.scope.txn, pathmod.answer())
	spoa.set_var_str("b", spoa.scope.txn, nested.answer())
end)
