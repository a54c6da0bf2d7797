package dev.quorum.testing;

import javax.net.ssl.SSLContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A server on 127.0.0.1 that speaks just enough RESP2 to pass for some Redis (a sentinel, an impostor), plain or
 * over TLS: each command is answered by a function of its words, and every command received is kept, passwords
 * included (a test checks where they went). Clients that try {@code HELLO} first fall back to RESP2 when {@code answer}
 * refuses it as an unknown command.
 */
public final class FakeRedisServer implements AutoCloseable {
    private final ServerSocket server;
    private final Function<List<String>, String> answer;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private FakeRedisServer(ServerSocket server, Function<List<String>, String> answer) {
        this.server = server;
        this.answer = answer;
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    clients.add(s);
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    public static FakeRedisServer plain(Function<List<String>, String> answer) throws IOException {
        return new FakeRedisServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
    }

    /** Over TLS with {@code tls}'s certificate ({@link TestCertificates#serverContext}); a client that refuses it sends no command. */
    public static FakeRedisServer tls(SSLContext tls, Function<List<String>, String> answer) throws IOException {
        return new FakeRedisServer(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every command received, its words joined by spaces. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Connections accepted (over TLS: before the handshake, so also those the client then gave up). */
    public int connections() {
        return connections.get();
    }

    /** A RESP bulk string. */
    public static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    /** A RESP array of bulk strings. */
    public static String array(String... items) {
        StringBuilder b = new StringBuilder("*" + items.length + "\r\n");
        for (String item : items) b.append(bulk(item));
        return b.toString();
    }

    /** What Redis 5 answers to {@code HELLO}: a client then speaks RESP2 and sends {@code AUTH} on its own. */
    public static String unknown(List<String> words) {
        return "-ERR unknown command '" + words.getFirst() + "'\r\n";
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                List<String> words = read(in);
                if (words == null) return;
                commands.add(String.join(" ", words));
                out.write(answer.apply(words).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException gone) {
            // the client left, or refused the handshake
        }
    }

    private static List<String> read(InputStream in) throws IOException {
        String head = line(in);
        if (head == null) return null;
        if (!head.startsWith("*")) return List.of(head.split(" "));
        int n = Integer.parseInt(head.substring(1));
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = Integer.parseInt(line(in).substring(1));
            words.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
            line(in);
        }
        return words;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) return null;
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : clients) s.close();
    }
}
