-- The handlers of the logging tests (LoggingTest, ReleaseTarballTest).

-- log(text): logs the text through spoa.log, then answers logged=yes.
spoa.register_message("log", function(args)
	spoa.log("warn", "tricky:", args.text)
	spoa.log_info("plain", 1, true, nil)
	spoa.set_var_str("logged", spoa.scope.txn, "yes")
end)

-- oom: fills the worker's heap until its JVM gives up.
spoa.register_message("oom", function(args)
	local kept = {}
	while true do
		kept[#kept + 1] = string.rep("x", 1000000) .. #kept
	end
end)
