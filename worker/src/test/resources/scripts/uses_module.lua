-- require finds modules next to the script, whatever the working directory.
local helper = require("helper_module")
spoa.register_message("double", function(args)
	spoa.set_var_int32("double", spoa.scope.txn, helper.double(args[1].value))
end)
