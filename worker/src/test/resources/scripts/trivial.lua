-- The benchmark's handler: one IPv4 argument in, one int32 out.
spoa.register_message("check-client-ip", function(args)
	spoa.set_var_int32("ip_score", spoa.scope.txn, #args[1].value)
end)
