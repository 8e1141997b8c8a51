package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkLuaString;
import static dev.spoa.worker.lua.LuaArgs.checkNumber;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

/**
 * The global {@code time}: the clock, and dates as text both ways, with strftime/strptime
 * directives in the C locale (English names whatever the machine's locale).
 *
 * <pre>
 * time.now()                        epoch seconds, with microseconds
 * time.format(epoch, format [, zone])   text
 * time.parse(s, format [, zone])        epoch seconds, or nil and a message
 * </pre>
 *
 * <p>Directives, both ways: %Y year (4 digits), %y year in century, %m month, %d day, %e day
 * padded with a space, %H hour, %I hour 1-12, %M minute, %S second, %p AM/PM, %a/%A weekday
 * (abbreviated/full), %b/%h/%B month name (abbreviated/full), %j day of the year, %z offset
 * (+hhmm), %Z zone name, %s epoch seconds, %f microseconds (6 digits), %T = %H:%M:%S,
 * %D = %m/%d/%y, %F = %Y-%m-%d, %R = %H:%M, %c = "%a %b %e %H:%M:%S %Y", %n newline, %t tab,
 * %% a percent. Any other directive is a Lua error.
 *
 * <p>A zone is "UTC" (the default), "local" (the JVM's zone), an offset ("+02:00") or an IANA
 * name ("Europe/Paris"); another is a Lua error. format rounds the epoch to the microsecond,
 * then the seconds fields count whole seconds toward minus infinity (-0.5 is 23:59:59.500000 of
 * the day before). It takes years 0 to 9999 (UTC).
 *
 * <p>parse reads what format writes, and more: numbers may have fewer digits and leading spaces;
 * names are English, in any case, full or abbreviated for either directive; %a/%A must be a
 * weekday name but are not checked against the date; %p applies to %I; %j sets the date only
 * when the format has neither %m nor %d; %S may be 60 (the next minute); %f reads 1 to 9
 * digits of fraction; %z reads Z, +hh, +hhmm or +hh:mm; %Z reads UTC, GMT, UT or Z, or an IANA
 * name (no abbreviation such as CEST: they are ambiguous); %s sets the time whatever else is
 * read. Whitespace in the format matches any run of whitespace, none included; trailing
 * whitespace in the text is ignored, other trailing text is not. Fields not read take their
 * value from 1970-01-01 00:00:00. A %z or %Z in the text wins over the zone argument. In a zone
 * with daylight saving, a time skipped by the change is moved forward by the gap, and a time
 * that happens twice is the earlier. Text that does not fit, or an impossible date, returns nil
 * and a message ("time.parse: expected month name at position 4"), as untrusted dates are the
 * normal input; a bad format or argument raises an error.
 *
 * <p>Compiled formats ({@value #MAX_CACHED_FORMATS}) and zones are cached.
 */
final class TimeLibrary {
    static final int MAX_CACHED_FORMATS = 256;
    static final int MAX_CACHED_ZONES = 64;

    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: four-digit years. */
    private static final double MIN_EPOCH = -62_167_219_200.0;
    private static final double MAX_EPOCH = 253_402_300_800.0;
    private static final int SECONDS_PER_DAY = 86_400;

    private static final String[] WEEKDAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};
    private static final String[] WEEKDAY_ABBREVIATIONS = abbreviations(WEEKDAYS);
    private static final String[] MONTH_ABBREVIATIONS = abbreviations(MONTHS);
    private static final LuaString LOCAL = LuaString.valueOf("local");

    /** A zone's short name ("CET"), from the JDK's locale data: loaded when a handler first asks for one. */
    private static final class ZoneNames {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);
    }

    private static String[] abbreviations(String[] names) {
        String[] abbreviated = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            abbreviated[i] = names[i].substring(0, 3);
        }
        return abbreviated;
    }

    private final Clock clock;
    private final ZoneId localZone;
    /**
     * The zone "local" stands for, worked out when first asked for: a fixed zone's name comes from
     * the JDK's zone names, which every worker would otherwise load at start for nothing (215
     * classes and ~40 ms of a start on this machine).
     */
    private Zone local;
    private final LruCache<LuaString, Item[]> formats = new LruCache<>(MAX_CACHED_FORMATS);
    private final LruCache<LuaString, Zone> zones = new LruCache<>(MAX_CACHED_ZONES);
    /** format's output, reused: format calls no Lua, so no call can come in while it is in use. */
    private byte[] out = new byte[64];
    private int outLength;

    TimeLibrary() {
        this(Clock.systemUTC(), ZoneId.systemDefault());
    }

    /** The clock for time.now and the zone "local" stands for. */
    TimeLibrary(Clock clock, ZoneId localZone) {
        this.clock = clock;
        this.localZone = localZone;
    }

    LuaTable table() {
        LuaTable time = new LuaTable();
        time.rawset("now", new Now());
        time.rawset("format", new Format());
        time.rawset("parse", new Parse());
        return time;
    }

    /** A zone, with its offset and name worked out once when they never change. */
    private record Zone(ZoneId id, ZoneOffset fixed, String fixedName) {
        static final Zone UTC = new Zone(ZoneOffset.UTC, ZoneOffset.UTC, "UTC");

        static Zone of(ZoneId id) {
            if (id.equals(ZoneOffset.UTC)) {
                return UTC;
            }
            if (id instanceof ZoneOffset offset) {
                return new Zone(id, offset, offset.getId());
            }
            if (id.getRules().isFixedOffset()) {
                return new Zone(id, id.getRules().getOffset(Instant.EPOCH), ZoneNames.FORMAT.format(ZonedDateTime.ofInstant(Instant.EPOCH, id)));
            }
            return new Zone(id, null, null);
        }

        int offsetAt(long epochSecond) {
            return fixed != null ? fixed.getTotalSeconds() : id.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        }

        String nameAt(long epochSecond) {
            return fixedName != null ? fixedName : ZoneNames.FORMAT.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), id));
        }

        /** Epoch seconds of a local time (seconds since 1970-01-01T00:00 on this zone's clock). */
        long epochOf(long localSeconds) {
            if (fixed != null) {
                return localSeconds - fixed.getTotalSeconds();
            }
            LocalDateTime dateTime = LocalDateTime.ofEpochSecond(localSeconds, 0, ZoneOffset.UTC);
            return ZonedDateTime.ofLocal(dateTime, id, null).toEpochSecond();
        }
    }

    private Zone zone(LuaValue value, String function) {
        if (value.isnil()) {
            return Zone.UTC;
        }
        LuaString name = checkLuaString(value, 3, function);
        if (name.equals(LOCAL)) {
            if (local == null) {
                local = Zone.of(localZone);
            }
            return local;
        }
        Zone zone = namedZone(name);
        if (zone == null) {
            throw argError(3, function, "unknown time zone '" + name.tojstring() + "'");
        }
        return zone;
    }

    /** The zone of an offset or IANA name, or null. */
    private Zone namedZone(LuaString name) {
        Zone zone = zones.get(name);
        if (zone == null) {
            try {
                zone = Zone.of(ZoneId.of(name.tojstring()));
            } catch (DateTimeException unknown) {
                return null;
            }
            zones.put(LruCache.ownKey(name), zone);
        }
        return zone;
    }

    // ---- Formats ----

    /** The directives; a compound one (%T, %D, %F, %R, %c) is expanded when the format is compiled. */
    private enum Directive {
        YEAR("year"), YEAR_OF_CENTURY("year"), MONTH("month"), DAY("day"), DAY_SPACE_PADDED("day"),
        HOUR("hour"), HOUR_12("hour"), MINUTE("minute"), SECOND("second"), AM_PM("AM or PM"),
        WEEKDAY("weekday name"), WEEKDAY_FULL("weekday name"), MONTH_NAME("month name"), MONTH_NAME_FULL("month name"),
        DAY_OF_YEAR("day of year"), OFFSET("UTC offset"), ZONE_NAME("time zone"), EPOCH("epoch seconds"),
        MICROSECONDS("fraction of second");

        /** What parse says it expected. */
        final String what;

        Directive(String what) {
            this.what = what;
        }
    }

    /** One step of a compiled format. */
    private sealed interface Item permits Literal, Field {
    }

    /** Text written as is; in parse, whitespace matches any run of whitespace and the rest must match exactly. */
    private record Literal(byte[] bytes) implements Item {
    }

    private record Field(Directive directive) implements Item {
    }

    private Item[] compile(LuaValue value, String function) {
        LuaString format = checkLuaString(value, 2, function);
        Item[] items = formats.get(format);
        if (items == null) {
            items = compile(format, function);
            formats.put(LruCache.ownKey(format), items);
        }
        return items;
    }

    private static Item[] compile(LuaString format, String function) {
        List<Item> items = new ArrayList<>();
        ByteArray literal = new ByteArray();
        byte[] bytes = format.m_bytes;
        int end = format.m_offset + format.m_length;
        for (int i = format.m_offset; i < end; i++) {
            byte b = bytes[i];
            if (b != '%') {
                literal.append(b);
                continue;
            }
            if (++i == end) {
                throw argError(2, function, "format ends with a lone '%'");
            }
            char letter = (char) (bytes[i] & 0xFF);
            String expansion = switch (letter) {
                case 'T' -> "%H:%M:%S";
                case 'D' -> "%m/%d/%y";
                case 'F' -> "%Y-%m-%d";
                case 'R' -> "%H:%M";
                case 'c' -> "%a %b %e %H:%M:%S %Y";
                case 'n' -> "\n";
                case 't' -> "\t";
                case '%' -> "%%";
                default -> null;
            };
            if (letter == '%') {
                literal.append((byte) '%');
                continue;
            }
            if (expansion != null) {
                for (Item item : compile(LuaString.valueOf(expansion), function)) {
                    if (item instanceof Literal text) {
                        literal.append(text.bytes, 0, text.bytes.length);
                    } else {
                        flush(literal, items);
                        items.add(item);
                    }
                }
                continue;
            }
            Directive directive = switch (letter) {
                case 'Y' -> Directive.YEAR;
                case 'y' -> Directive.YEAR_OF_CENTURY;
                case 'm' -> Directive.MONTH;
                case 'd' -> Directive.DAY;
                case 'e' -> Directive.DAY_SPACE_PADDED;
                case 'H' -> Directive.HOUR;
                case 'I' -> Directive.HOUR_12;
                case 'M' -> Directive.MINUTE;
                case 'S' -> Directive.SECOND;
                case 'p' -> Directive.AM_PM;
                case 'a' -> Directive.WEEKDAY;
                case 'A' -> Directive.WEEKDAY_FULL;
                case 'b', 'h' -> Directive.MONTH_NAME;
                case 'B' -> Directive.MONTH_NAME_FULL;
                case 'j' -> Directive.DAY_OF_YEAR;
                case 'z' -> Directive.OFFSET;
                case 'Z' -> Directive.ZONE_NAME;
                case 's' -> Directive.EPOCH;
                case 'f' -> Directive.MICROSECONDS;
                default -> throw argError(2, function, "unknown directive '%" + printable(letter) + "' in format");
            };
            flush(literal, items);
            items.add(new Field(directive));
        }
        flush(literal, items);
        return items.toArray(new Item[0]);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02X", (int) c);
    }

    private static void flush(ByteArray literal, List<Item> items) {
        if (literal.length > 0) {
            items.add(new Literal(literal.toArray()));
            literal.length = 0;
        }
    }

    /** Bytes gathered while compiling. */
    private static final class ByteArray {
        byte[] bytes = new byte[16];
        int length;

        void append(byte b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, length * 2);
            }
            bytes[length++] = b;
        }

        void append(byte[] more, int offset, int count) {
            for (int i = 0; i < count; i++) {
                append(more[offset + i]);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, length);
        }
    }

    // ---- Calendar arithmetic (proleptic Gregorian, as java.time), without allocating ----

    /** Days from 1970-01-01 to the given date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    static boolean isLeap(long year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    static int daysInMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    // ---- time.now ----

    private final class Now extends ZeroArgFunction {
        @Override
        public LuaValue call() {
            Instant now = clock.instant();
            return valueOf(now.getEpochSecond() + (now.getNano() / 1000) / 1e6);
        }
    }

    // ---- time.format ----

    private final class Format extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            double epoch = checkNumber(args.arg1(), 1, "format");
            Item[] items = compile(args.arg(2), "format");
            Zone zone = zone(args.arg(3), "format");
            if (!(epoch >= MIN_EPOCH && epoch < MAX_EPOCH)) {
                throw argError(1, "format", "time out of range (years 0 to 9999)");
            }
            long totalMicros = Math.round(epoch * 1e6);
            long seconds = Math.floorDiv(totalMicros, 1_000_000L);
            int micros = (int) Math.floorMod(totalMicros, 1_000_000L);
            int offset = zone.offsetAt(seconds);
            long localSeconds = seconds + offset;
            long days = Math.floorDiv(localSeconds, SECONDS_PER_DAY);
            int secondOfDay = Math.floorMod(localSeconds, SECONDS_PER_DAY);

            // civil_from_days (H. Hinnant)
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long dayOfEra = z - era * 146_097;
            long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
            long dayOfMarchYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            long monthIndex = (5 * dayOfMarchYear + 2) / 153;
            int day = (int) (dayOfMarchYear - (153 * monthIndex + 2) / 5 + 1);
            int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
            long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
            int hour = secondOfDay / 3600;
            int minute = secondOfDay / 60 % 60;
            int second = secondOfDay % 60;

            outLength = 0;
            for (Item item : items) {
                if (item instanceof Literal literal) {
                    write(literal.bytes);
                    continue;
                }
                switch (((Field) item).directive) {
                    case YEAR -> {
                        if (year >= 0 && year <= 9999) {
                            writeNumber(year, 4);
                        } else {
                            write(Long.toString(year));
                        }
                    }
                    case YEAR_OF_CENTURY -> writeNumber(Math.floorMod(year, 100), 2);
                    case MONTH -> writeNumber(month, 2);
                    case DAY -> writeNumber(day, 2);
                    case DAY_SPACE_PADDED -> {
                        if (day < 10) {
                            writeByte(' ');
                        }
                        writeNumber(day, 1);
                    }
                    case HOUR -> writeNumber(hour, 2);
                    case HOUR_12 -> writeNumber(hour % 12 == 0 ? 12 : hour % 12, 2);
                    case MINUTE -> writeNumber(minute, 2);
                    case SECOND -> writeNumber(second, 2);
                    case AM_PM -> write(hour < 12 ? "AM" : "PM");
                    case WEEKDAY -> write(WEEKDAY_ABBREVIATIONS[weekday(days)]);
                    case WEEKDAY_FULL -> write(WEEKDAYS[weekday(days)]);
                    case MONTH_NAME -> write(MONTH_ABBREVIATIONS[month - 1]);
                    case MONTH_NAME_FULL -> write(MONTHS[month - 1]);
                    case DAY_OF_YEAR -> writeNumber(days - daysFromCivil(year, 1, 1) + 1, 3);
                    case OFFSET -> {
                        writeByte(offset < 0 ? '-' : '+');
                        int minutes = Math.abs(offset) / 60;
                        writeNumber(minutes / 60, 2);
                        writeNumber(minutes % 60, 2);
                    }
                    case ZONE_NAME -> write(zone.nameAt(seconds));
                    case EPOCH -> write(Long.toString(seconds));
                    case MICROSECONDS -> writeNumber(micros, 6);
                }
            }
            return LuaString.valueOf(out, 0, outLength);
        }
    }

    /** 0 for Sunday: 1970-01-01 was a Thursday. */
    private static int weekday(long days) {
        return Math.floorMod(days + 4, 7);
    }

    private void writeByte(int b) {
        if (outLength == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[outLength++] = (byte) b;
    }

    private void write(byte[] bytes) {
        for (byte b : bytes) {
            writeByte(b);
        }
    }

    /** ASCII text: names, digits. */
    private void write(String text) {
        for (int i = 0; i < text.length(); i++) {
            writeByte(text.charAt(i));
        }
    }

    /** A non-negative number with at least {@code width} digits, zero-padded. */
    private void writeNumber(long value, int width) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            writeByte('0');
        }
        long divisor = 1;
        for (int i = 1; i < digits; i++) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            writeByte('0' + (int) (value / divisor % 10));
        }
    }

    // ---- time.parse ----

    /** Text that does not fit the format: parse returns nil and the message. No stack trace: it is data, not a bug. */
    private static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private final class Parse extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString text = checkLuaString(args.arg1(), 1, "parse");
            Item[] items = compile(args.arg(2), "parse");
            Zone zone = zone(args.arg(3), "parse");
            try {
                return valueOf(new Reader(text).read(items, zone));
            } catch (Mismatch mismatch) {
                return varargsOf(NIL, valueOf("time.parse: " + mismatch.getMessage()));
            }
        }
    }

    /** One parse: a cursor over the text and the fields read so far. */
    private final class Reader {
        private final byte[] bytes;
        private final int start;
        private final int end;
        private int position;

        private long year = 1970;
        private int month = 1;
        private int day = 1;
        private int hour;
        private int hour12 = -1;
        private boolean pm;
        private int minute;
        private int second;
        private double fraction;
        private int dayOfYear = -1;
        private boolean dateGiven;
        private boolean epochGiven;
        private long epoch;
        private boolean epochNegative;
        private boolean offsetGiven;
        private int offset;
        private Zone textZone;

        Reader(LuaString text) {
            this.bytes = text.m_bytes;
            this.start = text.m_offset;
            this.end = text.m_offset + text.m_length;
            this.position = start;
        }

        double read(Item[] items, Zone zone) {
            for (Item item : items) {
                if (item instanceof Literal literal) {
                    match(literal.bytes);
                } else {
                    field(((Field) item).directive);
                }
            }
            skipWhitespace();
            if (position < end) {
                throw new Mismatch("unexpected text at position " + column());
            }
            if (epochGiven) {
                // A fraction read by %f continues the digits of %s: "-5" and ".5" is -5.5.
                return epochNegative ? epoch - fraction : epoch + fraction;
            }
            if (hour12 >= 0) {
                hour = hour12 % 12 + (pm ? 12 : 0);
            }
            long days;
            if (dayOfYear > 0 && !dateGiven) {
                if (dayOfYear > (isLeap(year) ? 366 : 365)) {
                    throw new Mismatch("day of year " + dayOfYear + " out of range for " + year);
                }
                days = daysFromCivil(year, 1, 1) + dayOfYear - 1;
            } else {
                if (day > daysInMonth(year, month)) {
                    throw new Mismatch("invalid date " + year + "-" + twoDigits(month) + "-" + twoDigits(day));
                }
                days = daysFromCivil(year, month, day);
            }
            long localSeconds = days * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
            long seconds;
            if (offsetGiven) {
                seconds = localSeconds - offset;
            } else {
                seconds = (textZone != null ? textZone : zone).epochOf(localSeconds);
            }
            return seconds + fraction;
        }

        private int column() {
            return position - start + 1;
        }

        private void match(byte[] literal) {
            for (byte b : literal) {
                if (isWhitespace(b)) {
                    skipWhitespace();
                } else if (position < end && bytes[position] == b) {
                    position++;
                } else {
                    throw new Mismatch("expected '" + printable((char) (b & 0xFF)) + "' at position " + column());
                }
            }
        }

        private void skipWhitespace() {
            while (position < end && isWhitespace(bytes[position])) {
                position++;
            }
        }

        private void field(Directive directive) {
            switch (directive) {
                case YEAR -> year = number(directive, 4, 0, 9999);
                case YEAR_OF_CENTURY -> {
                    int yy = number(directive, 2, 0, 99);
                    year = yy < 69 ? 2000 + yy : 1900 + yy; // POSIX: 69-99 are 1969-1999
                }
                case MONTH -> {
                    month = number(directive, 2, 1, 12);
                    dateGiven = true;
                }
                case DAY, DAY_SPACE_PADDED -> {
                    day = number(directive, 2, 1, 31);
                    dateGiven = true;
                }
                case HOUR -> hour = number(directive, 2, 0, 23);
                case HOUR_12 -> hour12 = number(directive, 2, 1, 12);
                case MINUTE -> minute = number(directive, 2, 0, 59);
                case SECOND -> second = number(directive, 2, 0, 60);
                case AM_PM -> {
                    if (matchWord("AM")) {
                        pm = false;
                    } else if (matchWord("PM")) {
                        pm = true;
                    } else {
                        throw expected(directive);
                    }
                }
                case WEEKDAY, WEEKDAY_FULL -> name(WEEKDAYS, WEEKDAY_ABBREVIATIONS, directive);
                case MONTH_NAME, MONTH_NAME_FULL -> {
                    month = name(MONTHS, MONTH_ABBREVIATIONS, directive) + 1;
                    dateGiven = true;
                }
                case DAY_OF_YEAR -> dayOfYear = number(directive, 3, 1, 366);
                case OFFSET -> readOffset(directive);
                case ZONE_NAME -> readZone(directive);
                case EPOCH -> readEpoch(directive);
                case MICROSECONDS -> readFraction(directive);
            }
        }

        /** Up to {@code maxDigits} digits after optional spaces, as strptime reads numbers. */
        private int number(Directive directive, int maxDigits, int min, int max) {
            skipWhitespace();
            int first = position;
            int value = 0;
            while (position < end && position - first < maxDigits && isDigit(bytes[position])) {
                value = value * 10 + bytes[position++] - '0';
            }
            if (position == first) {
                throw expected(directive);
            }
            if (value < min || value > max) {
                position = first;
                throw new Mismatch(directive.what + " " + value + " out of range at position " + column());
            }
            return value;
        }

        /** The index of the English name (full, or its first three letters) at the cursor, in any case. */
        private int name(String[] names, String[] abbreviations, Directive directive) {
            for (int i = 0; i < names.length; i++) {
                if (matchWord(names[i]) || matchWord(abbreviations[i])) {
                    return i;
                }
            }
            throw expected(directive);
        }

        private boolean matchWord(String word) {
            if (end - position < word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (Character.toLowerCase((char) (bytes[position + i] & 0xFF)) != Character.toLowerCase(word.charAt(i))) {
                    return false;
                }
            }
            position += word.length();
            return true;
        }

        private void readOffset(Directive directive) {
            if (position < end && (bytes[position] == 'Z' || bytes[position] == 'z')) {
                position++;
                offsetGiven = true;
                offset = 0;
                return;
            }
            if (position == end || (bytes[position] != '+' && bytes[position] != '-')) {
                throw expected(directive);
            }
            int sign = bytes[position] == '-' ? -1 : 1;
            int first = position++;
            int hours = digits(2);
            int minutes = 0;
            if (hours >= 0) {
                if (position < end && bytes[position] == ':') {
                    position++;
                    minutes = digits(2);
                } else if (position < end && isDigit(bytes[position])) {
                    minutes = digits(2);
                }
            }
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
                position = first;
                throw expected(directive);
            }
            offsetGiven = true;
            offset = sign * (hours * 3600 + minutes * 60);
        }

        /** Exactly {@code count} digits, or -1. */
        private int digits(int count) {
            if (end - position < count) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < count; i++) {
                byte b = bytes[position + i];
                if (!isDigit(b)) {
                    return -1;
                }
                value = value * 10 + b - '0';
            }
            position += count;
            return value;
        }

        private void readZone(Directive directive) {
            int first = position;
            while (position < end && isZoneChar(bytes[position])) {
                position++;
            }
            if (position == first) {
                throw expected(directive);
            }
            String name = new String(bytes, first, position - first, StandardCharsets.US_ASCII);
            String upper = name.toUpperCase(Locale.ROOT);
            if (upper.equals("UTC") || upper.equals("GMT") || upper.equals("UT") || upper.equals("Z")) {
                offsetGiven = true;
                offset = 0;
                return;
            }
            Zone zone = namedZone(LuaString.valueOf(bytes, first, position - first));
            if (zone == null) {
                position = first;
                throw new Mismatch("unknown time zone '" + name + "' at position " + column());
            }
            textZone = zone;
        }

        private void readEpoch(Directive directive) {
            skipWhitespace();
            int first = position;
            boolean negative = position < end && bytes[position] == '-';
            if (negative) {
                position++;
            }
            int digitsStart = position;
            long value = 0;
            while (position < end && isDigit(bytes[position]) && position - digitsStart < 15) {
                value = value * 10 + bytes[position++] - '0';
            }
            if (position == digitsStart) {
                position = first;
                throw expected(directive);
            }
            epochGiven = true;
            epochNegative = negative;
            epoch = negative ? -value : value;
        }

        private void readFraction(Directive directive) {
            int first = position;
            long value = 0;
            long scale = 1;
            while (position < end && isDigit(bytes[position]) && position - first < 9) {
                value = value * 10 + bytes[position++] - '0';
                scale *= 10;
            }
            if (position == first) {
                throw expected(directive);
            }
            fraction = (double) value / scale;
        }

        private Mismatch expected(Directive directive) {
            return new Mismatch("expected " + directive.what + " at position " + column());
        }
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** C's isspace in the C locale. */
    private static boolean isWhitespace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** What an IANA name or an offset form of one ("Etc/GMT+2") is made of. */
    private static boolean isZoneChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || isDigit(b) || b == '/' || b == '_' || b == '-' || b == '+';
    }
}
