return { answer = function() return "from nested/init.lua" end }
