package io.yolomode.registration.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of the test's PostgreSQL, for faults the database
 * cannot make itself: it can swallow everything on its open connections without closing
 * them (a half-open link, a frozen NAT or proxy), and it can refuse new connections for a
 * while (the database unreachable).
 */
final class FreezableTcpProxy implements AutoCloseable {

    private final ServerSocket server;

    private final String targetHost;

    private final int targetPort;

    private final List<Link> links = new CopyOnWriteArrayList<>();

    private volatile boolean refusing;

    private volatile boolean closed;

    FreezableTcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        daemon(this::accept, "proxy-accept");
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * Connections open now forward nothing more, in either direction, and stay open; new
     * ones work.
     */
    void freezeOpenConnections() {
        links.forEach(link -> link.frozen = true);
    }

    /** New connections are closed as soon as they are accepted, until told otherwise. */
    void refuseNewConnections(boolean refuse) {
        refusing = refuse;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                Link link = new Link(client, upstream);
                links.add(link);
                daemon(() -> pump(client, upstream, link), "proxy-up");
                daemon(() -> pump(upstream, client, link), "proxy-down");
            }
            catch (IOException ex) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, Link link) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!link.frozen) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        }
        catch (IOException ignored) {
            // one side went away
        }
        if (!link.frozen) {
            link.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        }
        catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static final class Link {

        private final Socket client;

        private final Socket upstream;

        private volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            try {
                client.close();
            }
            catch (IOException ignored) {
                // gone
            }
            try {
                upstream.close();
            }
            catch (IOException ignored) {
                // gone
            }
        }

    }

}
