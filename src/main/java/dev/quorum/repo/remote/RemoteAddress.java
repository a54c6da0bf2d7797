package dev.quorum.repo.remote;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which git server addresses ({@code repos.<name>.url}) and credentials references Quorum accepts. Addresses: {@code https://host/path}, {@code ssh://[user@]host/path}
 * or scp-style {@code user@host:path}, and plain {@code http://} only to this machine (a test server, a local proxy).
 * Everything else is refused before any transport sees it: {@code file://} and bare paths (Quorum's own disk),
 * {@code ext::} (runs a command), {@code git://} (unauthenticated, unencrypted), and any address with a password in it
 * (secrets come from {@code credentials}, never from the config text).
 */
public final class RemoteAddress {
    private static final Pattern SCP = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9.-]*:(?!/)[A-Za-z0-9._/~-]+");

    private RemoteAddress() {}

    /** Why {@code url} is not an address Quorum uses, or empty when it is one. The reason never repeats the address. */
    public static Optional<String> urlProblem(String url) {
        if (url == null || url.isBlank()) return Optional.of("required");
        if (url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) return Optional.of("must not contain spaces or control characters");
        if (SCP.matcher(url).matches()) return Optional.empty();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL; use https://host/path.git or ssh://git@host/path.git");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("https", "ssh", "http").contains(scheme)) {
            return Optional.of("only https:// and ssh:// git servers are supported (not file://, ext::, git:// or a path)");
        }
        if (uri.getRawUserInfo() != null && (uri.getRawUserInfo().contains(":") || !scheme.equals("ssh"))) {
            return Optional.of("must not contain credentials; put a reference (env:NAME or file:/path) in credentials");
        }
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() < 2 || uri.getHost().startsWith("-")) {
            return Optional.of("needs a host and a repository path, such as https://git.example.com/team/app.git");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) return Optional.of("must not have a query or fragment");
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            return Optional.of("http:// is only for this machine (127.0.0.1); use https:// or ssh://");
        }
        return Optional.empty();
    }

    /**
     * Why {@code reference} is not a reference to a secret ({@code env:NAME}, {@code file:/path}), or empty when it is
     * one or absent (a public repository). The reason never repeats the text: it may be a pasted secret.
     */
    public static Optional<String> credentialsProblem(String reference) {
        return Credentials.problem(reference);
    }

    /** The address, checked. */
    static String require(String url) {
        urlProblem(url).ifPresent(p -> {
            throw new IllegalArgumentException("refused remote address: " + p);
        });
        return url;
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equals("localhost")) return true;
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) return false; // a literal address only: no name lookup here
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
