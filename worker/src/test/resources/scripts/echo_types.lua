-- For every argument, reports what the handler saw: "<name>.type" = type(value), and "<name>" =
-- the value itself (strings with their exact bytes through set_var_bin, others through tostring).
spoa.register_message("types", function(args)
	for _, arg in ipairs(args) do
		local value = arg.value
		spoa.set_var_str(arg.name .. ".type", spoa.scope.txn, type(value))
		if type(value) == "string" then
			spoa.set_var_bin(arg.name, spoa.scope.txn, value)
		else
			spoa.set_var_str(arg.name, spoa.scope.txn, tostring(value))
		end
	end
end)

-- Sends a STRING and a BINARY argument straight back: the bytes must survive both ways.
spoa.register_message("echo", function(args)
	spoa.set_var_str("text", spoa.scope.txn, args.text)
	spoa.set_var_bin("binary", spoa.scope.txn, args.binary)
end)

-- Sends 64-bit arguments straight back with their own type: exact even beyond 2^53.
spoa.register_message("echo64", function(args)
	spoa.set_var_int64("int64", spoa.scope.txn, args.int64)
	spoa.set_var_uint64("uint64", spoa.scope.txn, args.uint64)
end)
