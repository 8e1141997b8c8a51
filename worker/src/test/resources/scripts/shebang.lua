#!/usr/bin/env lua
-- a first line starting with # is skipped, as by lua itself
error("line three")
