package dev.spoa.worker.lua;

/** {@link FailureTest} with the scripts in luaj's interpreter ({@code --lua-interpreter}): the same failures, the same positions. */
class InterpretedFailureTest extends FailureTest {
    @Override
    LuaSettings settings() {
        return LuaSettings.defaults().withCompile(false);
    }
}
