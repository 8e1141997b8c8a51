-- Globals persist across calls in a worker; spoa.on_init runs once, when the worker starts.
calls = 0
cache = {}
init_runs = 0
local loaded_as = spoa.worker_id() .. "/" .. spoa.workers()

spoa.on_init(function()
	init_runs = init_runs + 1
	cache.ready = "warm"
end)
spoa.on_init(function()
	cache.order = (cache.ready or "cold") .. " then second"
end)

spoa.register_message("count", function(args)
	calls = calls + 1
	cache[args.key] = (cache[args.key] or 0) + 1
	spoa.set_var_int32("calls", spoa.scope.txn, calls)
	spoa.set_var_int32("seen", spoa.scope.txn, cache[args.key])
	spoa.set_var_int32("init_runs", spoa.scope.txn, init_runs)
	spoa.set_var_str("order", spoa.scope.txn, cache.order or "none")
	spoa.set_var_str("where", spoa.scope.txn, loaded_as)
end)

spoa.register_message("late-init", function()
	spoa.on_init(function() end) -- ON_INIT_LATE
end)
