package dev.spoa.supervisor;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A configuration file: one {@code name = value} per line, where each name is a long flag of
 * {@code start} without its dashes, and {@code #} starts a comment. It is turned into the flags it
 * stands for, so that the file and the command line are checked by the same code and cannot drift
 * apart; flags given on the command line are applied after the file's and win.
 *
 * <p>Relative paths in the settings that name files are taken from the file's own directory, not
 * the working directory (a service manager's working directory is rarely the operator's).
 * Switches take {@code true/false}, {@code yes/no} or {@code on/off}. A value may be put in
 * double quotes to keep a {@code #} or surrounding spaces.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** A path, or several separated by ';' (--lua-path), each taken from {@code base} unless absolute. */
    private static String resolve(Path base, String value) {
        List<String> parts = new ArrayList<>();
        for (String part : value.split(";", -1)) {
            parts.add(part.isBlank() ? part : base.resolve(part.strip()).normalize().toString());
        }
        return String.join(";", parts);
    }

    /**
     * The flags a file stands for.
     *
     * @param known    every setting name (long flag without dashes), and whether it is a switch
     * @param pathLike the settings whose value is a file or directory
     * @param words    for a setting of {@code pathLike}, the word it takes instead of a path (kept as it is)
     * @throws ConfigException with one line naming the file and line
     */
    static List<String> read(Path file, Map<String, Boolean> known, Set<String> pathLike, Map<String, String> words)
            throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        List<String> flags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + ":" + (i + 1) + ": ";
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new ConfigException(where + "expected name = value, found \"" + line + "\"");
            }
            String name = line.substring(0, equals).strip();
            String value = value(line.substring(equals + 1).strip(), where);
            Boolean isSwitch = known.get(name);
            if (isSwitch == null) {
                throw new ConfigException(where + "unknown setting \"" + name + "\"" + suggestion(name, known.keySet()));
            }
            if (!seen.add(name)) {
                throw new ConfigException(where + "\"" + name + "\" is set twice");
            }
            if (isSwitch) {
                if (switchValue(value, where + name)) {
                    flags.add("--" + name);
                }
            } else {
                if (value.isEmpty()) {
                    throw new ConfigException(where + "\"" + name + "\" has no value");
                }
                flags.add("--" + name);
                flags.add(pathLike.contains(name) && !value.equals(words.get(name)) ? resolve(base, value) : value);
            }
        }
        return flags;
    }

    /** The value without its comment, or the inside of its quotes. */
    private static String value(String raw, String where) throws ConfigException {
        if (raw.startsWith("\"")) {
            int end = raw.indexOf('"', 1);
            if (end < 0) {
                throw new ConfigException(where + "a quote is not closed");
            }
            String rest = raw.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new ConfigException(where + "unexpected text after the quoted value: " + rest);
            }
            return raw.substring(1, end);
        }
        int comment = raw.indexOf('#');
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }

    private static boolean switchValue(String value, String where) throws ConfigException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(where + " is a switch: true or false, not \"" + value + "\"");
        };
    }

    /** A near miss (one edit away, or one name containing the other) is named, as a typo usually is one. */
    private static String suggestion(String name, Set<String> names) {
        for (String candidate : names.stream().sorted().toList()) {
            if (editDistance(candidate, name) <= 2 || name.length() >= 4 && (candidate.contains(name) || name.contains(candidate))) {
                return " (did you mean \"" + candidate + "\"?)";
            }
        }
        return "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A configuration file that cannot be used; the message is one line naming the file and line. */
    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }
}
