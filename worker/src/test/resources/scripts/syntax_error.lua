spoa.register_message("x", function(args)
	local a = 1
	local b = = 2
end)
