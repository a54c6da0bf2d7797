package dev.quorum.repo;

import java.nio.file.Path;

/** The local host (a repository on this disk, {@code repos.<name>.path}) keeps the {@link RepoHostContract}. */
class LocalHostContractTest extends RepoHostContract {
    @Override
    protected RepoHost host(String name, Path upstream) {
        return RepoHosts.local(name, upstream);
    }
}
