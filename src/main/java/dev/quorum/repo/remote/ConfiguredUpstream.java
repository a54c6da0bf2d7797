package dev.quorum.repo.remote;

import java.io.IOException;
import java.util.Optional;

/** {@code repos.<name>.url} and its {@code credentials}: a fixed address, the secret read from its reference each time. */
record ConfiguredUpstream(String url, Credentials credentials) implements Upstream {
    ConfiguredUpstream {
        RemoteAddress.require(url);
    }

    @Override
    public Optional<Login> login() throws IOException {
        return credentials.read();
    }

    @Override
    public String loginSource() {
        return credentials.reference();
    }
}
