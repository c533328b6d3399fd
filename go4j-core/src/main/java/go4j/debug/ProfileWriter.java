package go4j.debug;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a count profile in pprof's {@code profile.proto} (github.com/google/pprof/proto/profile.proto), the
 * format {@code go tool pprof} reads: message Profile { repeated ValueType sample_type = 1; repeated Sample sample
 * = 2; repeated Location location = 4; repeated Function function = 5; repeated string string_table = 6;
 * int64 time_nanos = 9; ValueType period_type = 11; int64 period = 12; }.
 *
 * <p>Java frames have no program counters: each distinct frame (class, method, file, line) becomes one Location
 * with a synthetic address and one Line, each distinct method one Function; there is no Mapping, so the profile is
 * fully symbolized. Not thread-safe: one writer per profile.
 */
final class ProfileWriter {
    // profile.proto field numbers
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLE = 2;
    private static final int PROFILE_LOCATION = 4;
    private static final int PROFILE_FUNCTION = 5;
    private static final int PROFILE_STRING_TABLE = 6;
    private static final int PROFILE_TIME_NANOS = 9;
    private static final int PROFILE_PERIOD_TYPE = 11;
    private static final int PROFILE_PERIOD = 12;
    private static final int VALUETYPE_TYPE = 1;
    private static final int VALUETYPE_UNIT = 2;
    private static final int SAMPLE_LOCATION_ID = 1;
    private static final int SAMPLE_VALUE = 2;
    private static final int LOCATION_ID = 1;
    private static final int LOCATION_ADDRESS = 3;
    private static final int LOCATION_LINE = 4;
    private static final int LINE_FUNCTION_ID = 1;
    private static final int LINE_LINE = 2;
    private static final int FUNCTION_ID = 1;
    private static final int FUNCTION_NAME = 2;
    private static final int FUNCTION_SYSTEM_NAME = 3;
    private static final int FUNCTION_FILENAME = 4;

    /** Synthetic address of location id n: BASE + n * STRIDE (distinct, non-zero, stable within one profile). */
    static final long BASE = 0x400000L;
    static final long STRIDE = 0x10L;

    private final List<String> strings = new ArrayList<>();
    private final Map<String, Long> stringIds = new HashMap<>();
    private final Map<String, Long> functionIds = new HashMap<>();
    private final Map<StackTraceElement, Long> locationIds = new HashMap<>();
    private final ByteArrayOutputStream functions = new ByteArrayOutputStream();
    private final ByteArrayOutputStream locations = new ByteArrayOutputStream();
    private final ByteArrayOutputStream samples = new ByteArrayOutputStream();

    ProfileWriter() {
        str("");
    }

    /** The address of a frame's location (allocating the location if new). */
    long address(StackTraceElement f) {
        return BASE + location(f) * STRIDE;
    }

    /** Adds a sample: the stack innermost first, and its count. */
    void sample(List<StackTraceElement> stack, long count) {
        ByteArrayOutputStream ids = new ByteArrayOutputStream();
        for (StackTraceElement f : stack) {
            varint(ids, location(f));
        }
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        bytes(s, SAMPLE_LOCATION_ID, ids.toByteArray());
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        varint(v, count);
        bytes(s, SAMPLE_VALUE, v.toByteArray());
        bytes(samples, PROFILE_SAMPLE, s.toByteArray());
    }

    /** The encoded Profile message (not compressed). */
    byte[] encode(String type, String unit, long timeNanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] vt = valueType(type, unit);
        bytes(out, PROFILE_SAMPLE_TYPE, vt);
        out.writeBytes(samples.toByteArray());
        out.writeBytes(locations.toByteArray());
        out.writeBytes(functions.toByteArray());
        for (String s : strings) {
            bytes(out, PROFILE_STRING_TABLE, s.getBytes(StandardCharsets.UTF_8));
        }
        int64(out, PROFILE_TIME_NANOS, timeNanos);
        bytes(out, PROFILE_PERIOD_TYPE, vt);
        int64(out, PROFILE_PERIOD, 1);
        return out.toByteArray();
    }

    private byte[] valueType(String type, String unit) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int64(b, VALUETYPE_TYPE, str(type));
        int64(b, VALUETYPE_UNIT, str(unit));
        return b.toByteArray();
    }

    private long location(StackTraceElement f) {
        Long id = locationIds.get(f);
        if (id != null) {
            return id;
        }
        long lid = locationIds.size() + 1;
        locationIds.put(f, lid);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int64(line, LINE_FUNCTION_ID, function(f));
        int64(line, LINE_LINE, Math.max(0, f.getLineNumber()));
        ByteArrayOutputStream loc = new ByteArrayOutputStream();
        int64(loc, LOCATION_ID, lid);
        int64(loc, LOCATION_ADDRESS, BASE + lid * STRIDE);
        bytes(loc, LOCATION_LINE, line.toByteArray());
        bytes(locations, PROFILE_LOCATION, loc.toByteArray());
        return lid;
    }

    private long function(StackTraceElement f) {
        String name = f.getClassName() + "." + f.getMethodName();
        String file = f.getFileName() == null ? "?" : f.getFileName();
        String key = name + "\u0000" + file;
        Long id = functionIds.get(key);
        if (id != null) {
            return id;
        }
        long fid = functionIds.size() + 1;
        functionIds.put(key, fid);
        ByteArrayOutputStream fn = new ByteArrayOutputStream();
        int64(fn, FUNCTION_ID, fid);
        int64(fn, FUNCTION_NAME, str(name));
        int64(fn, FUNCTION_SYSTEM_NAME, str(name));
        int64(fn, FUNCTION_FILENAME, str(file));
        bytes(functions, PROFILE_FUNCTION, fn.toByteArray());
        return fid;
    }

    private long str(String s) {
        Long id = stringIds.get(s);
        if (id == null) {
            id = (long) strings.size();
            strings.add(s);
            stringIds.put(s, id);
        }
        return id;
    }

    // ------------------------------------------------------------------ protobuf wire format

    private static void int64(ByteArrayOutputStream out, int field, long v) {
        if (v == 0) {
            return; // proto3 default: omitted
        }
        varint(out, (long) field << 3); // wire type 0
        varint(out, v);
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
        varint(out, ((long) field << 3) | 2); // wire type 2: length-delimited
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
