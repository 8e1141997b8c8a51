spoa.register_message("m", function() error("a\nb") end)
