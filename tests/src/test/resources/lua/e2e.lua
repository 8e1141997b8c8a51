-- The handler the end-to-end tests run. Each message exercises one thing the tests check.
-- SPOA_WORKER_INDEX is set by the supervisor in every worker's environment.
local worker = tonumber(os.getenv("SPOA_WORKER_INDEX") or "-1")

-- From HAProxy (conf/haproxy/spoe-ip-reputation.conf): one argument, ip=src.
-- 127.0.0.1 scores 77 and passes; ::1 scores 10 and is denied by the shipped rule.
spoa.register_message("check-client-ip", function(args)
	local ip = args.ip
	if ip == "::1" then
		spoa.set_var_int32("ip_score", spoa.scope.txn, 10)
		spoa.set_var_ipv6("ip_seen", spoa.scope.txn, ip)
	else
		spoa.set_var_int32("ip_score", spoa.scope.txn, 77)
		spoa.set_var_ipv4("ip_seen", spoa.scope.txn, ip)
	end
	spoa.set_var_str("ip_class", spoa.scope.txn, "known")
	spoa.set_var_boolean("checked", spoa.scope.txn, true)
	spoa.set_var_int32("worker", spoa.scope.txn, worker)
end)

-- For the load test: answers n + 1 (an int64) and which worker did it; with busy=N, first
-- loops N times, so that a job takes long enough for the front to spread jobs over the workers.
spoa.register_message("count", function(args)
	for _ = 1, args.busy or 0 do end
	spoa.set_var_int64("next", spoa.scope.txn, args.n + 1)
	spoa.set_var_int32("worker", spoa.scope.txn, worker)
end)

-- A handler that fails: the ACK must carry the error variable.
spoa.register_message("fail", function(args)
	error("this handler always fails")
end)

-- A runaway handler: only killing its worker stops it.
spoa.register_message("spin", function(args)
	while true do end
end)

-- Leaves a trace the test can see: appends args.id and a newline to the file named by the
-- environment variable SPOA_E2E_RECORD (the agent's, which its workers inherit), if it is set.
local record_file = os.getenv("SPOA_E2E_RECORD")
spoa.register_message("record", function(args)
	if record_file then
		local file = assert(io.open(record_file, "a"))
		file:write(args.id, "\n")
		file:close()
	end
	spoa.set_var_str("recorded", spoa.scope.txn, args.id)
end)
