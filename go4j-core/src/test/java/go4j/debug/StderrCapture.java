package go4j.debug;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures System.err while a test runs a program (tests of one class run one at a time). */
final class StderrCapture implements AutoCloseable {
    private final PrintStream saved = System.err;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    StderrCapture() {
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    String text() {
        System.err.flush();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setErr(saved);
    }
}
