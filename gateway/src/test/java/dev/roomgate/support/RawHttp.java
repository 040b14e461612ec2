package dev.roomgate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request byte for byte over a plain socket, so that no client library normalizes its path or headers, and
 * reads the whole answer (the request asks for {@code Connection: close}).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** A GET with the given target as written, and extra header lines (each ending in CRLF). */
    public static String get(int port, String target, String headerLines) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headerLines
                + "Connection: close\r\n\r\n");
    }

    public static String send(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            catch (IOException closedWhileSending) {
                // The server may answer and close before reading a huge request to its end.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0;) {
                    answer.write(chunk, 0, n);
                }
            }
            catch (IOException resetAfterAnswer) {
                // A connection reset after the status line still leaves the answer we need.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The status code of a raw answer, or -1 when the server closed without one. */
    public static int status(String answer) {
        return answer.length() >= 12 && answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    /** The header block of a raw answer, lower-cased. */
    public static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return (end < 0 ? answer : answer.substring(0, end)).toLowerCase(java.util.Locale.ROOT);
    }
}
