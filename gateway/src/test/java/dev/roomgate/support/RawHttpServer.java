package dev.roomgate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test upstream that writes exact bytes: resets, malformed chunks, bodies dribbled or far too large. It reads each
 * request's head and body, then hands the socket to the scripted behaviour.
 */
public final class RawHttpServer implements AutoCloseable {

    /** What to do with one connection once its request is read. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    private static final ScheduledExecutorService DRIBBLE_TIMER = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "raw-http-dribble");
        thread.setDaemon(true);
        return thread;
    });

    private final ServerSocket server;

    private final AtomicInteger requests = new AtomicInteger();

    private final AtomicLong bytesWritten = new AtomicLong();

    private volatile Behaviour behaviour;

    public RawHttpServer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int requests() {
        return requests.get();
    }

    /** Body bytes the behaviours managed to write before the client stopped reading. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    public void behaviour(Behaviour next) {
        this.behaviour = next;
    }

    /** Counts what it writes, so a test can see the client stopped reading early. */
    public OutputStream counting(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytesWritten.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytesWritten.addAndGet(len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread worker = new Thread(() -> serve(socket), "raw-http-conn");
                worker.setDaemon(true);
                worker.start();
            }
            catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            while (readRequest(in)) {
                requests.incrementAndGet();
                behaviour.answer(socket, socket.getOutputStream());
                if (socket.isClosed()) {
                    return;
                }
            }
        }
        catch (IOException | InterruptedException gone) {
            // The client hung up or the behaviour closed the socket: both are expected here.
        }
    }

    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int at = text.indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).strip());
            in.readNBytes(length);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /**
     * Dribbles a body out: one space every {@code every}, {@code count} times, from a timer thread, and returns when
     * the last is written or the client has gone. The connection thread only waits for that end, so the pause is the
     * fault itself and never holds up a test's own thread.
     */
    public static void dribble(OutputStream out, int count, Duration every) throws IOException, InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger written = new AtomicInteger();
        ScheduledFuture<?> ticks = DRIBBLE_TIMER.scheduleAtFixedRate(() -> {
            try {
                out.write(' ');
                out.flush();
                if (written.incrementAndGet() >= count) {
                    done.complete(null);
                }
            }
            catch (IOException gone) {
                done.completeExceptionally(gone);
            }
        }, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
        try {
            done.get();
        }
        catch (ExecutionException gone) {
            throw (IOException) gone.getCause();
        }
        finally {
            ticks.cancel(false);
        }
    }

    /** Sends headers and an exact body. */
    public static void answer(OutputStream out, int status, String headers, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + " X\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
