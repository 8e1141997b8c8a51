package dev.spoa.worker.lua.jc;

import java.util.Map;
import org.luaj.vm2.Prototype;

/**
 * What the isolated compiler offers the worker: a compiled chunk in, class files out. Public and
 * in terms of the worker's own classes only, because its one implementation ({@link
 * BcelTranslator}) is a class of another class loader, {@link CompilerClassLoader}.
 */
public interface ChunkTranslator {
    /**
     * The chunk as JVM classes: {@code className} for its main function, one more per nested function.
     *
     * @param fileName the source file the classes name, for stack traces
     * @return class name → class file
     */
    Map<String, byte[]> translate(Prototype chunk, String className, String fileName);
}
