-- The handlers of the logging tests (LoggingTest, ReleaseTarballTest).

-- log(text): logs the text through spoa.log, then answers logged=yes.
spoa.register_message("log", function(args)
	spoa.log("warn", "tricky:", args.text)
	spoa.log_info("plain", 1, true, nil)
	spoa.set_var_str("logged", spoa.scope.txn, "yes")
end)

-- die: the worker exits at once, without a word.
spoa.register_message("die", function(args)
	os.exit(3)
end)

-- oom: fills the worker's heap until the worker gives up (its job gets the error variable).
spoa.register_message("oom", function(args)
	local kept = {}
	while true do
		kept[#kept + 1] = string.rep("x", 1000000) .. #kept
	end
end)
