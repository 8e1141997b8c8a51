package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

class TimeLibraryTest {
    private static final Instant NOW = Instant.parse("2024-05-06T07:08:09.123456789Z");

    private final Snippets lua = new Snippets();

    TimeLibraryTest() {
        lua.globals.set("time", new TimeLibrary(Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("Europe/Paris")).table());
    }

    private String format(String args) {
        return lua.eval("return time.format(" + args + ")").tojstring();
    }

    /**
     * parse's results: the epoch in plain decimal (16 significant digits, as a double holds), or
     * "nil|message". Not Lua's tostring: luaj prints fractions through a float ("7.841118E8").
     */
    private String parse(String args) {
        Varargs results = lua.run("return time.parse(" + args + ")");
        if (results.arg1().isnil()) {
            return "nil|" + results.arg(2).tojstring();
        }
        return new BigDecimal(results.arg1().checkdouble()).round(new MathContext(16)).stripTrailingZeros().toPlainString();
    }

    @Test
    void nowHasMicroseconds() {
        assertEquals(1714979289.123456, lua.eval("return time.now()").todouble(), 1e-7);
    }

    @Test
    void nowFollowsTheRealClockByDefault() {
        double before = System.currentTimeMillis() / 1000.0;
        double now = new TimeLibrary().table().get("now").call().todouble();
        double after = System.currentTimeMillis() / 1000.0;
        assertTrue(now >= before - 0.001 && now <= after + 0.001, before + " " + now + " " + after);
    }

    @Test
    void httpDate() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", format("784111777, '%a, %d %b %Y %H:%M:%S GMT'"));
        assertEquals("784111777", parse("'Sun, 06 Nov 1994 08:49:37 GMT', '%a, %d %b %Y %H:%M:%S GMT'"));
    }

    @Test
    void everyDirective() {
        // 1994-11-06 08:49:37.25 UTC, a Sunday, day 310.
        String t = "784111777.25";
        assertEquals("1994 94 11 06  6 08 08 49 37 AM", format(t + ", '%Y %y %m %d %e %H %I %M %S %p'"));
        assertEquals("Sun Sunday Nov November Nov 310", format(t + ", '%a %A %b %B %h %j'"));
        assertEquals("+0000 UTC 784111777 250000", format(t + ", '%z %Z %s %f'"));
        assertEquals("08:49:37 11/06/94 1994-11-06 08:49", format(t + ", '%T %D %F %R'"));
        assertEquals("Sun Nov  6 08:49:37 1994", format(t + ", '%c'"));
        assertEquals("a\nb\tc%d", format(t + ", 'a%nb%tc%%d'"));
        assertEquals("", format(t + ", ''"));
        assertEquals("no directive", format(t + ", 'no directive'"));
        assertEquals("08 PM 12 AM 12 PM", format("72000, '%I %p'") + " " + format("0, '%I %p'") + " " + format("43200, '%I %p'"));
        assertEquals("366 Dec 31", format("1609372800, '%j %b %d'")); // 2020-12-31, a leap year
    }

    @Test
    void formatKeepsNonAsciiBytesOfTheFormat() {
        assertEquals("1994 – novembre", format("784111777, '%Y – novembre'"));
    }

    @Test
    void zones() {
        long t = 784111777; // 08:49:37 UTC, winter
        assertEquals("09:49:37 +0100 CET", format(t + ", '%T %z %Z', 'Europe/Paris'"));
        assertEquals("09:49:37 +0100 CET", format(t + ", '%T %z %Z', 'local'"));
        assertEquals("10:49:37 +0200 CEST", format("784111777 - 150 * 86400, '%T %z %Z', 'Europe/Paris'"));
        assertEquals("03:49:37 -0500 EST", format(t + ", '%T %z %Z', 'America/New_York'"));
        assertEquals("14:19:37 +0530 +05:30", format(t + ", '%T %z %Z', '+05:30'"));
        assertEquals("08:49:37 +0000 UTC", format(t + ", '%T %z %Z', 'UTC'"));
        assertEquals("08:49:37 +0000 GMT", format(t + ", '%T %z %Z', 'GMT'"));
        assertEquals("08:49:37 +0000 UTC", format(t + ", '%T %z %Z', nil"));
        assertEquals("1994-11-05 23:49:37 -0900", format(t + ", '%F %T %z', '-09:00'"));
    }

    @Test
    void negativeAndFractionalEpochs() {
        assertEquals("1969-12-31 23:59:59.500000", format("-0.5, '%F %T.%f'"));
        assertEquals("1969-12-31 23:59:59 -1", format("-0.5, '%F %T %s'"));
        assertEquals("1970-01-01 00:00:00.999999", format("0.999999, '%F %T.%f'"));
        assertEquals("1900-01-01 00:00:00 Mon", format("-2208988800, '%F %T %a'"));
        assertEquals("0000-01-01 00:00:00", format("-62167219200, '%F %T'"));
        assertEquals("9999-12-31 23:59:59", format("253402300799, '%F %T'"));
        assertEquals("1600-02-29", format("-11670998400, '%F'"));
        assertEquals("2024-05-06 07:08:09.123456", format("1714979289.123456, '%F %T.%f'"));
        // Numeric strings are numbers, as in the rest of Lua.
        assertEquals("1970-01-01", format("'0', '%F'"));
    }

    @Test
    void formatErrors() {
        assertEquals("test.lua:1: bad argument #2 to 'format' (unknown directive '%Q' in format)", lua.error("time.format(0, '%Y %Q')"));
        assertEquals("test.lua:1: bad argument #2 to 'format' (unknown directive '%E' in format)", lua.error("time.format(0, '%Ey')"));
        assertEquals("test.lua:1: bad argument #2 to 'format' (format ends with a lone '%')", lua.error("time.format(0, '%Y%')"));
        assertEquals("test.lua:1: bad argument #3 to 'format' (unknown time zone 'Mars/Olympus')", lua.error("time.format(0, '%Y', 'Mars/Olympus')"));
        assertEquals("test.lua:1: bad argument #3 to 'format' (unknown time zone 'CEST')", lua.error("time.format(0, '%Y', 'CEST')"));
        assertEquals("test.lua:1: bad argument #1 to 'format' (number expected, got string)", lua.error("time.format('now', '%Y')"));
        assertEquals("test.lua:1: bad argument #1 to 'format' (number expected, got nil)", lua.error("time.format(nil, '%Y')"));
        assertEquals("test.lua:1: bad argument #2 to 'format' (string expected, got nil)", lua.error("time.format(0)"));
        assertEquals("test.lua:1: bad argument #3 to 'format' (string expected, got table)", lua.error("time.format(0, '%Y', {})"));
        assertEquals("test.lua:1: bad argument #1 to 'format' (time out of range (years 0 to 9999))", lua.error("time.format(1e12, '%Y')"));
        assertEquals("test.lua:1: bad argument #1 to 'format' (time out of range (years 0 to 9999))", lua.error("time.format(-1e12, '%Y')"));
        assertEquals("test.lua:1: bad argument #1 to 'format' (time out of range (years 0 to 9999))", lua.error("time.format(0/0, '%Y')"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Sun, 06 Nov 1994 08:49:37 GMT | %a, %d %b %Y %H:%M:%S GMT",
        "1994-11-06T08:49:37Z | %Y-%m-%dT%H:%M:%SZ",
        "06/Nov/1994:09:49:37 +0100 | %d/%b/%Y:%H:%M:%S %z",
        "06/Nov/1994:03:19:37 -0530 | %d/%b/%Y:%H:%M:%S %z",
        "Sunday, 06-Nov-94 08:49:37 GMT | %A, %d-%b-%y %H:%M:%S GMT",
        "Sun Nov  6 08:49:37 1994 | %c",
        "1994-11-06 08:49:37 +0000 UTC | %F %T %z %Z",
        "784111777 | %s",
        "11/06/94 08:49:37 AM | %D %I:%M:%S %p",
        "1994 310 08:49:37 | %Y %j %T",
    })
    void commonFormatsRoundTrip(String text, String format) {
        assertEquals("784111777", parse("'" + text + "', '" + format + "'"));
        lua.globals.set("text", LuaValue.valueOf(text));
        lua.globals.set("fmt", LuaValue.valueOf(format));
        String zone = text.contains("-0530") ? "'-05:30'" : text.contains("+0100") ? "'+01:00'" : "nil";
        assertEquals(LuaValue.TRUE, lua.eval("return time.format(time.parse(text, fmt), fmt, " + zone + ") == text"));
    }

    @Test
    void apacheLogDate() {
        assertEquals("971211336", parse("'10/Oct/2000:13:55:36 -0700', '%d/%b/%Y:%H:%M:%S %z'"));
        assertEquals("10/Oct/2000:13:55:36 -0700", format("971211336, '%d/%b/%Y:%H:%M:%S %z', '-07:00'"));
    }

    @Test
    void parseIsLenientWhereStrptimeIs() {
        // Any case for names, full or abbreviated for any name directive.
        assertEquals("784111777", parse("'sunday, 06 NOVEMBER 1994 08:49:37', '%a, %d %B %Y %H:%M:%S'"));
        assertEquals("784111777", parse("'Sun, 06 nov 1994 08:49:37', '%A, %d %b %Y %H:%M:%S'"));
        // Fewer digits and leading spaces in numbers; whitespace matches any run of it, or none.
        assertEquals("784111777", parse("'1994-11-6 8:49:37', '%Y-%m-%d %H:%M:%S'"));
        assertEquals("784111777", parse("'1994-11- 6   8:49:37', '%Y-%m-%d %H:%M:%S'"));
        assertEquals("784111777", parse("'1994-11-06T08:49:37', '%Y-%m-%d T %H:%M:%S'"));
        assertEquals("784111777", parse("'1994-11-06\\t\\n08:49:37', '%F%n%T'"));
        // Trailing whitespace is fine.
        assertEquals("784111777", parse("'1994-11-06 08:49:37  ', '%F %T'"));
        // Adjacent numbers without separators.
        assertEquals("784111777", parse("'19941106084937', '%Y%m%d%H%M%S'"));
        // The weekday is read, not checked against the date.
        assertEquals("784111777", parse("'Mon, 06 Nov 1994 08:49:37 GMT', '%a, %d %b %Y %H:%M:%S GMT'"));
    }

    @Test
    void missingFieldsDefaultToTheEpoch() {
        assertEquals("0", parse("'', ''"));
        assertEquals("3600", parse("'01', '%H'"));
        assertEquals("784080000", parse("'1994-11-06', '%F'"));
        assertEquals("26265600", parse("'Nov', '%b'"));
        assertEquals("757382400", parse("'1994', '%Y'"));
    }

    @Test
    void twelveHourClock() {
        assertEquals("0", parse("'12 AM', '%I %p'"));
        assertEquals("43200", parse("'12 pm', '%I %p'"));
        assertEquals("3600", parse("'1 am', '%I %p'"));
        assertEquals("46800", parse("'1 PM', '%I %p'"));
        assertEquals("3600", parse("'1', '%I'"));
        // %p goes with %I, not %H.
        assertEquals("3600", parse("'01 PM', '%H %p'"));
    }

    @Test
    void twoDigitYearsFollowPosix() {
        assertEquals("1969", format("time.parse('69', '%y'), '%Y'"));
        assertEquals("2068", format("time.parse('68', '%y'), '%Y'"));
        assertEquals("2000", format("time.parse('00', '%y'), '%Y'"));
    }

    @Test
    void dayOfYear() {
        assertEquals("1994-11-06", format("time.parse('1994 310', '%Y %j'), '%F'"));
        assertEquals("2020-12-31", format("time.parse('2020 366', '%Y %j'), '%F'"));
        assertEquals("nil|time.parse: day of year 366 out of range for 2021", parse("'2021 366', '%Y %j'"));
        // With %m or %d, %j is read but not used.
        assertEquals("1994-02-01", format("time.parse('1994 310 02', '%Y %j %m'), '%F'"));
    }

    @Test
    void offsetsAndZonesInTheText() {
        assertEquals("784111777", parse("'1994-11-06T09:49:37+01:00', '%Y-%m-%dT%H:%M:%S%z'"));
        assertEquals("784111777", parse("'1994-11-06T09:49:37+0100', '%Y-%m-%dT%H:%M:%S%z'"));
        assertEquals("784111777", parse("'1994-11-06T09:49:37+01', '%Y-%m-%dT%H:%M:%S%z'"));
        assertEquals("784111777", parse("'1994-11-06T08:49:37Z', '%Y-%m-%dT%H:%M:%S%z'"));
        assertEquals("784111777", parse("'1994-11-06T03:49:37-05:00', '%Y-%m-%dT%H:%M:%S%z'"));
        assertEquals("784111777", parse("'1994-11-06 08:49:37 gmt', '%F %T %Z'"));
        assertEquals("784111777", parse("'1994-11-06 08:49:37 UT', '%F %T %Z'"));
        assertEquals("784111777", parse("'1994-11-06 09:49:37 Europe/Paris', '%F %T %Z'"));
        // The text's offset or zone wins over the zone argument.
        assertEquals("784111777", parse("'1994-11-06 09:49:37 +0100', '%F %T %z', 'America/New_York'"));
        assertEquals("784111777", parse("'1994-11-06 09:49:37 Europe/Paris', '%F %T %Z', 'Asia/Tokyo'"));
        assertEquals("784111777", parse("'1994-11-06 08:49:37 UTC', '%F %T %Z', 'local'"));
    }

    @Test
    void theZoneArgument() {
        assertEquals("784111777", parse("'1994-11-06 09:49:37', '%F %T', 'Europe/Paris'"));
        assertEquals("784111777", parse("'1994-11-06 09:49:37', '%F %T', 'local'"));
        assertEquals("784111777", parse("'1994-11-06 10:49:37', '%F %T', '+02:00'"));
        assertEquals("784111777", parse("'1994-11-06 08:49:37', '%F %T', 'UTC'"));
        assertEquals("test.lua:1: bad argument #3 to 'parse' (unknown time zone 'Mars')", lua.error("time.parse('', '', 'Mars')"));
    }

    @Test
    void daylightSavingGapsAndOverlaps() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        // 2024-03-31 02:30 does not exist in Paris: moved forward to 03:30 CEST.
        long gap = ZonedDateTime.of(2024, 3, 31, 3, 30, 0, 0, paris).toEpochSecond();
        assertEquals(Long.toString(gap), parse("'2024-03-31 02:30', '%F %R', 'Europe/Paris'"));
        // 2024-10-27 02:30 happens twice: the earlier, CEST.
        long overlap = ZonedDateTime.of(2024, 10, 27, 0, 30, 0, 0, ZoneOffset.UTC).toEpochSecond();
        assertEquals(Long.toString(overlap), parse("'2024-10-27 02:30', '%F %R', 'Europe/Paris'"));
    }

    @Test
    void epochSecondsAndFractions() {
        assertEquals("784111777", parse("'784111777', '%s'"));
        assertEquals("-86400", parse("'-86400', '%s'"));
        assertEquals("784111777.25", parse("'784111777.25', '%s.%f'"));
        assertEquals("-5.5", parse("'-5.5', '%s.%f'"));
        // %s wins over everything else.
        assertEquals("784111777", parse("'2000 784111777', '%Y %s'"));
        assertEquals("784111777.123456", parse("'1994-11-06T08:49:37.123456Z', '%Y-%m-%dT%H:%M:%S.%fZ'"));
        assertEquals("784111777.5", parse("'1994-11-06T08:49:37.5Z', '%Y-%m-%dT%H:%M:%S.%fZ'"));
        assertEquals("784111777.1234568", parse("'1994-11-06T08:49:37.123456789Z', '%Y-%m-%dT%H:%M:%S.%fZ'"));
    }

    @Test
    void aLeapSecondRollsOver() {
        assertEquals("1994-11-06 08:50:00", format("time.parse('1994-11-06 08:49:60', '%F %T'), '%F %T'"));
    }

    @Test
    void textThatDoesNotFitGivesNilAndAMessage() {
        assertEquals("nil|time.parse: expected month name at position 4", parse("'06 Mov 1994', '%d %b %Y'"));
        assertEquals("nil|time.parse: expected weekday name at position 1", parse("'Sux, 06 Nov 1994', '%a, %d %b %Y'"));
        assertEquals("nil|time.parse: expected year at position 7", parse("'06 Nov', '%d %b %Y'"));
        assertEquals("nil|time.parse: expected ':' at position 3", parse("'08-49', '%H:%M'"));
        assertEquals("nil|time.parse: expected 'T' at position 11", parse("'1994-11-06 08:49:37', '%Y-%m-%dT%H:%M:%S'"));
        assertEquals("nil|time.parse: unexpected text at position 12", parse("'1994-11-06 and more', '%F'"));
        assertEquals("nil|time.parse: expected AM or PM at position 4", parse("'10 XM', '%I %p'"));
        assertEquals("nil|time.parse: expected UTC offset at position 4", parse("'10 +1', '%H %z'"));
        assertEquals("nil|time.parse: expected UTC offset at position 4", parse("'10 +19:00', '%H %z'"));
        assertEquals("nil|time.parse: expected UTC offset at position 4", parse("'10 CET', '%H %z'"));
        assertEquals("nil|time.parse: unknown time zone 'CEST' at position 4", parse("'10 CEST', '%H %Z'"));
        assertEquals("nil|time.parse: expected time zone at position 4", parse("'10 ', '%H %Z'"));
        assertEquals("nil|time.parse: expected epoch seconds at position 1", parse("'-x', '%s'"));
        assertEquals("nil|time.parse: expected fraction of second at position 4", parse("'10.x', '%S.%f'"));
        assertEquals("nil|time.parse: expected '%' at position 3", parse("'10 percent', '%H%%'"));
    }

    @Test
    void impossibleDatesAndTimesGiveNilAndAMessage() {
        assertEquals("nil|time.parse: invalid date 1994-02-30", parse("'1994-02-30', '%F'"));
        assertEquals("nil|time.parse: invalid date 2023-02-29", parse("'2023-02-29', '%F'"));
        assertEquals("784080000", parse("'1994-11-06', '%F'"));
        assertEquals("951782400", parse("'2000-02-29', '%F'"));
        assertEquals("nil|time.parse: invalid date 1900-02-29", parse("'1900-02-29', '%F'"));
        assertEquals("nil|time.parse: hour 25 out of range at position 12", parse("'1994-11-06 25:00:00', '%F %T'"));
        assertEquals("nil|time.parse: minute 60 out of range at position 4", parse("'10:60', '%R'"));
        assertEquals("nil|time.parse: month 13 out of range at position 6", parse("'1994-13-01', '%F'"));
        assertEquals("nil|time.parse: day 0 out of range at position 9", parse("'1994-11-00', '%F'"));
        assertEquals("nil|time.parse: day 32 out of range at position 9", parse("'1994-11-32', '%F'"));
        assertEquals("nil|time.parse: hour 0 out of range at position 1", parse("'00 AM', '%I %p'"));
        assertEquals("nil|time.parse: day of year 0 out of range at position 6", parse("'1994 000', '%Y %j'"));
    }

    @Test
    void aHandlerCanTestTheResult() {
        assertEquals("bad: time.parse: expected day at position 1", lua.eval("""
                local t, err = time.parse('garbage', '%d %b %Y %H:%M:%S GMT')
                if not t then return 'bad: ' .. err end
                return t
                """).tojstring());
    }

    @Test
    void parseErrors() {
        assertEquals("test.lua:1: bad argument #2 to 'parse' (unknown directive '%Q' in format)", lua.error("time.parse('x', '%Q')"));
        assertEquals("test.lua:1: bad argument #2 to 'parse' (format ends with a lone '%')", lua.error("time.parse('x', 'x%')"));
        assertEquals("test.lua:1: bad argument #1 to 'parse' (string expected, got nil)", lua.error("time.parse(nil, '%Y')"));
        assertEquals("test.lua:1: bad argument #2 to 'parse' (string expected, got table)", lua.error("time.parse('1994', {})"));
        assertEquals("test.lua:1: bad argument #3 to 'parse' (string expected, got boolean)", lua.error("time.parse('1994', '%Y', true)"));
        // A format that compiled for one function is the same for the other: errors too.
        assertEquals("test.lua:1: bad argument #2 to 'format' (unknown directive '%Q' in format)", lua.error("time.format(0, '%Q')"));
    }

    @Test
    void manyDistinctFormatsStayCorrectPastTheCacheBound() {
        LuaValue hits = lua.eval("""
                local hits = 0
                for i = 1, 3 * %d do
                  local fmt = '[' .. i .. '] %%Y'
                  if time.parse(time.format(0, fmt), fmt) == 0 and time.format(0, fmt) == '[' .. i .. '] 1970' then hits = hits + 1 end
                end
                return hits
                """.formatted(TimeLibrary.MAX_CACHED_FORMATS));
        assertEquals(3 * TimeLibrary.MAX_CACHED_FORMATS, hits.toint());
    }

    @Test
    void calendarArithmeticAgreesWithJavaTime() {
        for (long day = -800_000; day <= 800_000; day += 997) {
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(day);
            assertEquals(day, TimeLibrary.daysFromCivil(date.getYear(), date.getMonthValue(), date.getDayOfMonth()));
            long epoch = day * 86400 + 3723;
            String expected = date + " 01:02:03 " + date.getDayOfWeek().toString().substring(0, 3) + " " + String.format(java.util.Locale.ROOT, "%03d", date.getDayOfYear());
            if (date.getYear() >= 0 && date.getYear() <= 9999) {
                assertEquals(expected.toUpperCase(), format(epoch + ", '%F %T %a %j'").toUpperCase());
            }
        }
    }
}
