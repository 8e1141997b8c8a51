package dev.spoa.supervisor;

import com.beust.jcommander.Parameters;

/** {@code spoa-supervisor check}: the flags of {@code start}, checked with the Lua script, and nothing started. */
@Parameters(commandDescription = "Check the flags or configuration file and compile the Lua script, without starting anything")
final class CheckCommand extends StartCommand {
}
