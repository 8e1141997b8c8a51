package dev.spoa.supervisor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Prometheus' text format (0.0.4) back, strictly: every line a HELP, a TYPE or a
 * well-formed sample of a family declared before it; counters named {@code _total}; histograms
 * with increasing bounds, cumulative counts, a last {@code +Inf} bucket equal to {@code _count},
 * and a {@code _sum}. Fails the test on the first thing that is not so.
 */
final class Exposition {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)\\})? (\\S+)");
    /** One label: a name, then a quoted value in which only \\, \" and \n are escapes. */
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, String> help = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static Exposition parse(String text) {
        assertTrue(text.endsWith("\n"), "the exposition ends with a line feed");
        Exposition parsed = new Exposition();
        for (String line : text.split("\n")) {
            parsed.line(line);
        }
        parsed.checkHistograms();
        return parsed;
    }

    private void line(String line) {
        Matcher matcher;
        if ((matcher = HELP.matcher(line)).matches()) {
            assertTrue(help.put(matcher.group(1), matcher.group(2)) == null, "one HELP per family: " + line);
            assertTrue(!types.containsKey(matcher.group(1)), "HELP before TYPE: " + line);
        } else if ((matcher = TYPE.matcher(line)).matches()) {
            String family = matcher.group(1);
            assertTrue(types.put(family, matcher.group(2)) == null, "one TYPE per family: " + line);
            assertTrue(help.containsKey(family), "every family has a HELP: " + line);
            if (matcher.group(2).equals("counter")) {
                assertTrue(family.endsWith("_total"), "a counter's name ends in _total: " + line);
            }
        } else if ((matcher = SAMPLE.matcher(line)).matches()) {
            String name = matcher.group(1);
            String family = familyOf(name);
            assertTrue(family != null, "a sample of a family declared before: " + line);
            if (!types.get(family).equals("histogram")) {
                assertEquals(family, name, line);
            }
            samples.add(new Sample(name, labels(matcher.group(2), line), value(matcher.group(3), line)));
        } else {
            fail("not a line of the text format: \"" + line + "\"");
        }
    }

    private String familyOf(String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(family))) {
                    return family;
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null) {
            return labels;
        }
        Matcher matcher = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            assertTrue(matcher.find(at) && matcher.start() == at, "well-formed labels: " + line);
            String value = unescape(matcher.group(2));
            assertTrue(labels.put(matcher.group(1), value) == null, "a label once: " + line);
            at = matcher.end();
        }
        return labels;
    }

    private static String unescape(String text) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                c = text.charAt(++i) == 'n' ? '\n' : text.charAt(i);
            }
            value.append(c);
        }
        return value.toString();
    }

    private static double value(String text, String line) {
        if (text.equals("+Inf") || text.equals("-Inf") || text.equals("NaN")) {
            return Double.parseDouble(text.replace("Inf", "Infinity"));
        }
        assertTrue(text.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?"), "a number: " + line);
        return Double.parseDouble(text);
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> family : types.entrySet()) {
            if (!family.getValue().equals("histogram")) {
                continue;
            }
            String name = family.getKey();
            List<Sample> buckets = samples.stream().filter(sample -> sample.name().equals(name + "_bucket")).toList();
            assertTrue(!buckets.isEmpty(), name + " has buckets");
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample bucket : buckets) {
                String le = bucket.labels().get("le");
                assertTrue(le != null, "every bucket has le: " + bucket);
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                assertTrue(bound > previousBound, "bounds increase: " + bucket);
                assertTrue(bucket.value() >= previousCount, "counts are cumulative: " + bucket);
                previousBound = bound;
                previousCount = bucket.value();
            }
            assertEquals("+Inf", buckets.get(buckets.size() - 1).labels().get("le"), name + " ends with +Inf");
            assertEquals(previousCount, value(name + "_count"), name + ": +Inf == _count");
            assertTrue(value(name + "_sum") >= 0, name + " has a _sum");
        }
    }

    /** The value of the one sample of this name and these labels (name, value, name, value...). */
    double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = samples.stream().filter(sample -> sample.name().equals(name) && sample.labels().equals(wanted)).toList();
        assertEquals(1, found.size(), "one sample " + name + wanted + " in " + samples);
        return found.get(0).value();
    }
}
