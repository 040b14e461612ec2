package dev.roomgate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import redis.embedded.RedisServer;

/**
 * A real Redis server (the embedded-redis binary from Maven Central) on a free port, that a test can stop and start
 * again on the same port, or swap for a listener that accepts connections and never answers (a hung Redis).
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;

    private RedisServer server;

    private ServerSocket hung;

    private final List<Socket> hungConnections = new CopyOnWriteArrayList<>();

    private RedisServerProcess(int port) {
        this.port = port;
    }

    public static RedisServerProcess start() {
        RedisServerProcess redis = new RedisServerProcess(freePort());
        redis.up();
        return redis;
    }

    public int port() {
        return port;
    }

    /** Starts (again) on the same port, with an empty data set. */
    public synchronized void up() {
        try {
            server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
            server.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Stops the server: connections are refused until {@link #up()}. */
    public synchronized void down() {
        try {
            if (server != null) {
                server.stop();
                server = null;
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Stops the server and listens on its port without ever answering: a Redis that hangs. */
    public synchronized void hang() {
        down();
        try {
            hung = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Thread acceptor = new Thread(() -> {
            try {
                while (!hung.isClosed()) {
                    Socket connection = hung.accept();
                    hungConnections.add(connection);
                    InputStream ignored = connection.getInputStream();
                }
            }
            catch (IOException closed) {
                // the hang is over
            }
        }, "redis-hang");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Ends a hang: closes its connections and the listener. */
    public synchronized void unhang() {
        try {
            for (Socket connection : hungConnections) {
                connection.close();
            }
            hungConnections.clear();
            if (hung != null) {
                hung.close();
                hung = null;
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close() {
        unhang();
        down();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
