-- One message per misuse of the API; the test finds each case's line by its marker.
local txn = spoa.scope.txn
local cases = {
	["scope-unknown"] = function() spoa.set_var_int32("v", 7, 1) end, -- scope-unknown
	["scope-missing"] = function() spoa.set_var_null("v") end, -- scope-missing
	["name-table"] = function() spoa.set_var_int32({}, txn, 1) end, -- name-table
	["int32-string"] = function() spoa.set_var_int32("v", txn, "abc") end, -- int32-string
	["int32-nil"] = function() spoa.set_var_int32("v", txn, nil) end, -- int32-nil
	["int32-high"] = function() spoa.set_var_int32("v", txn, 2147483648) end, -- int32-high
	["int32-fraction"] = function() spoa.set_var_int32("v", txn, 1.5) end, -- int32-fraction
	["uint32-negative"] = function() spoa.set_var_uint32("v", txn, -1) end, -- uint32-negative
	["uint32-high"] = function() spoa.set_var_uint32("v", txn, 4294967296) end, -- uint32-high
	["int64-high"] = function() spoa.set_var_int64("v", txn, "9223372036854775808") end, -- int64-high
	["int64-huge"] = function() spoa.set_var_int64("v", txn, 2^63) end, -- int64-huge
	["int64-huge-neg"] = function() spoa.set_var_int64("v", txn, -2^64) end, -- int64-huge-neg
	["uint64-negative"] = function() spoa.set_var_uint64("v", txn, "-1") end, -- uint64-negative
	["uint64-high"] = function() spoa.set_var_uint64("v", txn, "18446744073709551616") end, -- uint64-high
	["boolean-number"] = function() spoa.set_var_boolean("v", txn, 1) end, -- boolean-number
	["ipv4-malformed"] = function() spoa.set_var_ipv4("v", txn, "192.0.2.256") end, -- ipv4-malformed
	["ipv4-v6"] = function() spoa.set_var_ipv4("v", txn, "::1") end, -- ipv4-v6
	["ipv6-malformed"] = function() spoa.set_var_ipv6("v", txn, "2001:db8:::1") end, -- ipv6-malformed
	["str-table"] = function() spoa.set_var_str("v", txn, {}) end, -- str-table
	["bin-boolean"] = function() spoa.set_var_bin("v", txn, true) end, -- bin-boolean
	["unset-scope"] = function() spoa.unset_var("v", "txn") end, -- unset-scope
	["register-twice"] = function() spoa.register_message("ok", function() end) end, -- register-twice
	["register-not-function"] = function() spoa.register_message("new", 5) end, -- register-not-function
}
for name, case in pairs(cases) do
	spoa.register_message(name, function(args)
		spoa.set_var_boolean("before", txn, true) -- dropped with the rest of this message's actions
		case()
	end)
end
spoa.register_message("ok", function(args)
	spoa.set_var_boolean("ok", txn, true)
end)
