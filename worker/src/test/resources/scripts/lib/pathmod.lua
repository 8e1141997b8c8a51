return { answer = function() return "from --lua-path" end }
