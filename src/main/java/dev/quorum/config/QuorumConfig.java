package dev.quorum.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Quorum's whole configuration, as read from YAML and overridden by environment variables
 * (SPEC §1). Immutable; {@link ConfigLoader} is the only way to make a validated one.
 */
public record QuorumConfig(
        HttpConfig http,
        String data,
        RedisConfig redis,
        ConsoleConfig console,
        Map<String, List<String>> groups,
        Map<String, List<String>> people,
        String oncallGroup,
        String defaultRepo,
        Map<String, RepoConfig> repos,
        Map<String, EnvironmentConfig> environments,
        Map<String, PolicyConfig> policies,
        EvidenceConfig evidence,
        ModelConfig model,
        SlackConfig slack,
        DiscordConfig discord,
        AgentsConfig agents,
        ResearchConfig research,
        WorkersConfig workers,
        GitHubConfig github,
        LimitsConfig limits,
        DigestConfig digest) {

    public QuorumConfig {
        http = http == null ? HttpConfig.defaults() : http;
        data = data == null || data.isBlank() ? "data" : data;
        redis = redis == null ? RedisConfig.defaults() : redis;
        console = console == null ? ConsoleConfig.defaults() : console;
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        people = people == null ? Map.of() : Map.copyOf(people);
        oncallGroup = oncallGroup == null ? "oncall" : oncallGroup;
        repos = repos == null ? Map.of() : Map.copyOf(repos);
        environments = environments == null ? Map.of() : Map.copyOf(environments);
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        evidence = evidence == null ? EvidenceConfig.defaults() : evidence;
        model = model == null ? ModelConfig.defaults() : model;
        slack = slack == null ? SlackConfig.defaults() : slack;
        discord = discord == null ? DiscordConfig.defaults() : discord;
        agents = agents == null ? AgentsConfig.defaults() : agents;
        research = research == null ? ResearchConfig.defaults() : research;
        workers = workers == null ? WorkersConfig.defaults() : workers;
        github = github == null ? GitHubConfig.defaults() : github;
        limits = limits == null ? LimitsConfig.defaults() : limits;
        digest = digest == null ? DigestConfig.defaults() : digest;
    }

    /** The data folder, where Redis, repositories and workspaces live. */
    public Path dataDir() {
        return Path.of(data);
    }

    /** A path from the config: relative paths resolve against the data folder. */
    public Path inData(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : dataDir().resolve(p);
    }

    /** The repository an environment deploys. */
    public String repoOf(String environment) {
        EnvironmentConfig env = environments.get(environment);
        return env == null || env.repo() == null ? defaultRepo : env.repo();
    }
}
