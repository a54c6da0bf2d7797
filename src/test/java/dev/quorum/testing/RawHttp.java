package dev.quorum.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket to 127.0.0.1, for what {@link java.net.http.HttpClient}
 * will not send: a forged {@code Host}, two {@code Origin} headers, exactly the bytes a hostile
 * page makes a browser send. One request per connection.
 */
public final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawHttp() {}

    /** An answer: status, headers by lower-case name, and the body. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
            return values.isEmpty() ? null : values.getFirst();
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * Sends {@code head} (request line and headers, lines separated by {@code \n}, without the
     * final blank line) and {@code body}; adds {@code Content-Length} and {@code Connection: close}.
     */
    public static Response send(int port, String head, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String request = head.strip().replace("\n", "\r\n") + "\r\n"
                + (content.length > 0 || !head.startsWith("GET") ? "Content-Length: " + content.length + "\r\n" : "")
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2) throw new IOException("no HTTP answer: " + statusLine);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> length = headers.get("content-length");
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length.getFirst())));
        } else {
            in.transferTo(body);
        }
        return new Response(Integer.parseInt(parts[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }
}
