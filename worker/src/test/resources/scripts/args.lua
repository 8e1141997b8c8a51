-- Reports how the arguments can be reached.
spoa.register_message("args", function(args, name)
	spoa.set_var_str("message", spoa.scope.txn, name)
	spoa.set_var_int32("count", spoa.scope.txn, #args)
	spoa.set_var_str("first.name", spoa.scope.txn, args[1].name)
	spoa.set_var_str("first.value", spoa.scope.txn, args[1].value)
	spoa.set_var_str("by.dot", spoa.scope.txn, args.ip)
	spoa.set_var_str("by.key", spoa.scope.txn, args["host"])
	spoa.set_var_boolean("missing.is.nil", spoa.scope.txn, args.nope == nil and args[99] == nil)
	local keys = 0
	for _ in pairs(args) do keys = keys + 1 end -- as in the original: the array entries only
	spoa.set_var_int32("pairs", spoa.scope.txn, keys)
end)

-- One function for two messages: the second argument says which one came.
local function which(args, name)
	spoa.set_var_str("name", spoa.scope.txn, name)
end
spoa.register_message("first", which)
spoa.register_message("second", which)
