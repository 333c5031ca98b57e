package io.yolomode.registration.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client that opens an event stream and then never reads from it, with a tiny receive
 * buffer: the server's writes to it fill the socket and stop, as with a stalled browser
 * tab or a dead mobile link.
 */
final class NonReadingClient implements AutoCloseable {

    private final Socket socket;

    private NonReadingClient(Socket socket) {
        this.socket = socket;
    }

    static NonReadingClient open(int port, String path, String token) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new NonReadingClient(socket);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        }
        catch (IOException ignored) {
            // gone already
        }
    }

}
