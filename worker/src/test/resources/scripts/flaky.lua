local calls = 0

spoa.register_message("flaky", function(args)
	calls = calls + 1
	spoa.set_var_int32("calls", spoa.scope.txn, calls)
	if calls == 1 then
		error("boom on the first call") -- FLAKY_ERROR
	end
end)

spoa.register_message("steady", function(args)
	spoa.set_var_boolean("steady", spoa.scope.txn, true)
end)

spoa.register_message("recurse", function(args)
	local function deeper(n) return deeper(n + 1) + 1 end
	deeper(1)
end)

spoa.register_message("many", function(args)
	for i = 1, 100000 do
		spoa.set_var_int32("v", spoa.scope.txn, i)
	end
end)

spoa.register_message("nil-index", function(args)
	local t = nil
	return t.field -- NIL_INDEX
end)
