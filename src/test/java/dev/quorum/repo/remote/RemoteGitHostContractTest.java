package dev.quorum.repo.remote;

import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHostContract;
import dev.quorum.testing.GitHttpServer;

import java.nio.file.Path;
import java.util.Map;

/**
 * The remote git host keeps the {@link RepoHostContract}: the upstream is served by git's own smart HTTP with Basic
 * auth on 127.0.0.1, the host mirrors it under {@code tmp/data/mirrors}, with its token from the environment.
 */
class RemoteGitHostContractTest extends RepoHostContract {
    private static final String TOKEN = "tok-contract-77aa88bb";
    private GitHttpServer server;

    @Override
    protected RepoHost host(String name, Path upstream) throws Exception {
        server = new GitHttpServer(upstream.getParent()).token(TOKEN);
        String served = upstream.getFileName().toString().replaceFirst("\\.git$", "");
        return RemoteGitHost.open(name, server.url(served), "env:GIT_TOKEN", tmp.resolve("data/mirrors/" + name + ".git"),
                Map.of("GIT_TOKEN", TOKEN));
    }

    @Override
    protected void closeHost() {
        if (server != null) server.close();
    }
}
