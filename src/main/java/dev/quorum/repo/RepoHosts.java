package dev.quorum.repo;

import dev.quorum.config.QuorumConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@link RepoHost} of every configured repository, by its name under {@code repos:}. Built
 * once from the config (in {@code Assembly}); which host a repository gets depends on its keys:
 * {@code github} → GitHub ({@code dev.quorum.github}), {@code url} → a git server, {@code path} → on this disk. Thread-safe: immutable, and every host is.
 */
public final class RepoHosts {
    private final Map<String, RepoHost> hosts;

    private RepoHosts(Map<String, RepoHost> hosts) {
        this.hosts = Map.copyOf(hosts);
    }

    /** One host per repository of {@code config}: {@code url} → a git server, else {@code path} → this disk. */
    public static RepoHosts from(QuorumConfig config) {
        return from(config, name -> Optional.empty());
    }

    /**
     * One host per repository of {@code config}, {@code elsewhere}'s when it has one for the name (a code host's, such as
     * GitHub's for {@code repos.<name>.github}), else as {@link #from(QuorumConfig)}.
     */
    public static RepoHosts from(QuorumConfig config, Function<String, Optional<RepoHost>> elsewhere) {
        Map<String, RepoHost> hosts = new LinkedHashMap<>();
        config.repos().forEach((name, repo) -> hosts.put(name, elsewhere.apply(name).orElseGet(() -> repo.url() != null
                ? dev.quorum.repo.remote.RemoteGitHost.of(config, name) : local(name, config.inData(repo.path())))));
        return new RepoHosts(hosts);
    }

    /** These hosts, by their names (tests, and hosts built elsewhere). */
    public static RepoHosts of(RepoHost... hosts) {
        Map<String, RepoHost> byName = new LinkedHashMap<>();
        for (RepoHost host : hosts) {
            if (byName.put(host.name(), host) != null) throw new IllegalArgumentException("two hosts named " + host.name());
        }
        return new RepoHosts(byName);
    }

    /** The repository on this disk at {@code dir} (bare or not), called {@code name}. */
    public static RepoHost local(String name, Path dir) {
        return new LocalHost(name, dir);
    }

    /**
     * The host of repository {@code name}.
     *
     * @throws IllegalArgumentException when no repository has that name (callers check names against the config first)
     */
    public RepoHost get(String name) {
        RepoHost host = hosts.get(Objects.requireNonNull(name, "name"));
        if (host == null) throw new IllegalArgumentException("no repo named " + name);
        return host;
    }

    public Set<String> names() {
        return hosts.keySet();
    }
}
