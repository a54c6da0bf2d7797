package dev.quorum.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare RESP client on a socket, as code that found Redis's port would write one: no library,
 * no credentials unless it sends {@code AUTH}. Replies come back as text: {@code +OK},
 * {@code -NOAUTH ...}, {@code :1}, a bulk string's value, {@code (nil)}, or an array's items one a line.
 */
public final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RespClient connect(int port) throws IOException {
        return new RespClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Over TLS, for a server that speaks nothing else ({@code tls} trusts its CA: {@link TestCertificates#clientContext}). */
    public static RespClient connect(int port, javax.net.ssl.SSLContext tls) throws IOException {
        return new RespClient(tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port));
    }

    /** Sends one command and reads its reply. */
    public String call(String... args) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            command.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            command.writeBytes(bytes);
            command.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(command.toByteArray());
        out.flush();
        return reply();
    }

    /**
     * Sends text as it is (inline commands, an HTTP request) and returns all the server answers
     * until it closes the connection or is quiet for the socket timeout.
     */
    public String raw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        socket.setSoTimeout(1_000);
        try {
            int b;
            while ((b = in.read()) != -1) answer.write(b);
        } catch (SocketTimeoutException quiet) {
            // the server has said all it will
        } catch (IOException reset) {
            // closed on us: what it said before is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private String reply() throws IOException {
        int type = in.read();
        if (type == -1) return "(closed)";
        String line = line();
        return switch (type) {
            case '+', '-', ':' -> (char) type + line;
            case '$' -> bulk(Integer.parseInt(line));
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield "(nil)";
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) items.add(reply());
                yield String.join("\n", items);
            }
            default -> throw new IOException("unexpected reply type " + (char) type + line);
        };
    }

    private String bulk(int length) throws IOException {
        if (length < 0) return "(nil)";
        String value = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        line();
        return value;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\r') b.write(c);
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
