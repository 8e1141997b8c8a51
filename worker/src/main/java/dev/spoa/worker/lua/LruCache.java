package dev.spoa.worker.lua;

import java.util.LinkedHashMap;
import java.util.Map;
import org.luaj.vm2.LuaString;

/**
 * A map that forgets its least recently used entry past {@code capacity}: the libraries cache what
 * they compile from a handler's strings (patterns, formats, networks), and a handler that builds
 * those strings from request data must not grow the worker's memory without bound. Not thread-safe:
 * each worker runs its Lua on one thread.
 */
final class LruCache<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    LruCache(int capacity) {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }

    /**
     * The string as a key that holds only its own bytes: a LuaString made by {@code string.sub}
     * shares the array of the string it was cut from, and a cached key would keep that whole
     * (maybe large) array alive.
     */
    static LuaString ownKey(LuaString string) {
        if (string.m_offset == 0 && string.m_length == string.m_bytes.length) {
            return string;
        }
        return LuaString.valueOf(string.m_bytes, string.m_offset, string.m_length);
    }
}
