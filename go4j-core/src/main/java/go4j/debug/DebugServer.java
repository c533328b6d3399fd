package go4j.debug;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Go's {@code net/http/pprof} goroutine endpoints on the JDK's built-in HTTP server, bound to the loopback address
 * only. Off unless started: {@link #start(int)}, or {@code -Dgo4j.debug.http=PORT} (read when go4j starts its first
 * goroutine; {@code 0} picks a free port, printed on stderr).
 *
 * <ul>
 *   <li>{@code GET /debug/pprof/} — an index of the profiles.</li>
 *   <li>{@code GET /debug/pprof/goroutine} — the binary profile for {@code go tool pprof}
 *       ({@code go tool pprof -symbolize=none http://127.0.0.1:PORT/debug/pprof/goroutine}).</li>
 *   <li>{@code GET /debug/pprof/goroutine?debug=1} — Go's text profile (stacks with counts).</li>
 *   <li>{@code GET /debug/pprof/goroutine?debug=2} — every goroutine in Go's traceback format.</li>
 * </ul>
 * Requests are served on virtual threads that are not goroutines. {@link #close()} stops the server.
 */
public final class DebugServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private DebugServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the endpoint on {@code 127.0.0.1:port} (loopback only; port 0 = any free port).
     *
     * @throws IOException if the port cannot be bound
     */
    public static DebugServer start(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService ex = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("go4j-debug-http").factory());
        s.setExecutor(ex);
        s.createContext("/debug/pprof/", DebugServer::handle);
        s.start();
        return new DebugServer(s, ex);
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/debug/pprof/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/debug/pprof/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private static void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod()) && !"HEAD".equals(x.getRequestMethod())) {
                reply(x, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = x.getRequestURI().getPath();
            if (path.equals("/debug/pprof/") || path.equals("/debug/pprof")) {
                reply(x, 200, "text/html; charset=utf-8", index().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!path.equals("/debug/pprof/goroutine")) {
                reply(x, 404, "text/plain; charset=utf-8", "Unknown profile\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            int debug = 0;
            String q = x.getRequestURI().getQuery();
            if (q != null) {
                for (String kv : q.split("&")) {
                    if (kv.startsWith("debug=")) {
                        try {
                            debug = Integer.parseInt(kv.substring(6));
                        } catch (NumberFormatException e) {
                            debug = 0; // Go's handler: a bad number is 0
                        }
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Pprof.writeGoroutineProfile(body, debug);
            if (debug == 0) {
                x.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"goroutine\"");
                reply(x, 200, "application/octet-stream", body.toByteArray());
            } else {
                reply(x, 200, "text/plain; charset=utf-8", body.toByteArray());
            }
        }
    }

    private static void reply(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
    }

    private static String index() {
        return "<html>\n<head>\n<title>/debug/pprof/</title>\n</head>\n<body>\n/debug/pprof/<br>\n<br>\n"
                + "Types of profiles available:\n<table>\n<thead><td>Count</td><td>Profile</td></thead>\n"
                + "<tr><td>" + Goroutines.count() + "</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>\n"
                + "</table>\n<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n<br>\n"
                + "<p>\nProfile Descriptions:\n<ul>\n<li><div class=profile-name>goroutine: </div> Stack traces of "
                + "all current goroutines. Use debug=2 as a query parameter to export in the same format as an "
                + "unrecovered panic.</li>\n</ul>\n</p>\n</body>\n</html>\n";
    }
}
