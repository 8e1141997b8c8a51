spoa.register_message("m", function() end)
spoa.on_init(function()
	error("cannot open the reputation database") -- INIT_ERROR
end)
