/**
 * LuaJC, luaj's Lua-to-JVM-bytecode compiler, in a class loader of its own that the worker drops
 * once its script is loaded, and the compiled chunks the workers of one agent share.
 *
 * <p>The compiler and the BCEL library it writes classes with are ~400 classes, needed for a
 * moment at start and never again unless the script loads a module later: unloaded, they leave a
 * worker 1.6 MB less class metadata (11.3 → 9.7 MB, bench.lua). Compiled chunks keep none of it:
 * {@link dev.spoa.worker.lua.jc.LuaJcCompiler} defines their classes in a loader of their own,
 * under the worker's class loader, and they refer to luaj's runtime only. What one worker compiled
 * the others take from the run dir ({@link dev.spoa.worker.lua.jc.CompiledChunks}): a replacement
 * never loads the compiler at all.
 */
package dev.spoa.worker.lua.jc;
