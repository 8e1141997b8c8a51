spoa.register_message("x", function() end)
spoa.set_var_int32("v", spoa.scope.txn, "many")
