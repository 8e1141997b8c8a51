-- spoa.log and its shortcuts (LogTest).
spoa.register_message("log", function(args)
	local custom = setmetatable({}, { __tostring = function() return "custom" end })
	spoa.log("info", "values:", 1, 2.5, nil, true, custom)
	spoa.log("WARNING", "any case")
	spoa.log("debug")
	spoa.log_debug("d")
	spoa.log_info("i")
	spoa.log_warn("w")
	spoa.log_error("e")
	spoa.set_var_boolean("logged", spoa.scope.txn, true)
end)

spoa.register_message("bad-level", function(args)
	spoa.log("loud", "x") -- BAD_LEVEL
end)

spoa.register_message("no-level", function(args)
	spoa.log(42, "x") -- NO_LEVEL
end)
