-- The handler bin/spoa-bench runs: as little work as a handler can do, so that the figures
-- measure the agent (SPOP, the queues to the workers, the Lua call) and not the script.
-- It reads its argument as a real handler would, and answers txn.<prefix>.ip_score.
spoa.register_message("check-client-ip", function(args)
	local ip = args.ip
	spoa.set_var_int32("ip_score", spoa.scope.txn, ip and 50 or 0)
end)
