spoa.register_message("x", function() end)
spoa.register_message("x", function() end)
