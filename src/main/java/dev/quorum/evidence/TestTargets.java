package dev.quorum.evidence;

import dev.quorum.config.ConfigException;
import dev.quorum.config.EnvironmentConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.config.SecretRef;
import dev.quorum.config.RepoConfig;
import dev.quorum.repo.RepoHosts;
import dev.quorum.sandbox.Sandbox;
import dev.quorum.sandbox.SandboxHost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the configuration says about testing each repository, checked once at start. Every
 * secret Quorum knows of is masked in every test log. Immutable.
 */
public final class TestTargets {
    private final Map<String, TestTarget> byRepo = new HashMap<>();

    /**
     * @param sandboxes where repository code can run on this machine
     * @throws ConfigException when a repo's test settings are unusable
     */
    public TestTargets(QuorumConfig config, RepoHosts hosts, SandboxHost sandboxes) {
        List<String> secrets = secretsOf(config);
        config.repos().forEach((name, repo) -> {
            try {
                Sandbox sandbox = sandboxes.forRepo(name, repo.sandbox(), config.dataDir().toAbsolutePath().resolve("caches").resolve(name));
                byRepo.put(name, new TestTarget(name, hosts.get(name), repo.testCommand(),
                        repo.reports(), repo.testTimeout(), new LinkedHashSet<>(repo.env()), secrets, repo.defaultBranch(),
                        sandbox));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("repos." + name, name, e.getMessage());
            }
        });
    }

    public Optional<TestTarget> of(String repo) {
        return Optional.ofNullable(byRepo.get(repo));
    }

    /** Every secret value in the configuration: none may appear in a log Quorum keeps or posts. */
    public static List<String> secretsOf(QuorumConfig config) {
        List<String> out = new ArrayList<>(config.evidence().secrets());
        add(out, config.slack().botToken());
        add(out, config.slack().signingSecret());
        add(out, config.slack().appToken());
        add(out, config.discord().botToken());
        add(out, config.model().apiKey());
        config.console().users().values().forEach(u -> add(out, u == null ? null : u.token()));
        for (EnvironmentConfig env : config.environments().values()) {
            if (env.webhook() != null) add(out, env.webhook().secret());
        }
        return out;
    }

    /**
     * Masks every secret Quorum knows: the configuration's ({@link #secretsOf}) and the values of Quorum's own
     * variables in {@code hostEnv} ({@link ScrubbedEnvironment#quorumSecretValues}). Built once per installation.
     */
    public static Redactor redactorFor(QuorumConfig config, Map<String, String> hostEnv) {
        List<String> secrets = new ArrayList<>(secretsOf(config));
        secrets.addAll(ScrubbedEnvironment.quorumSecretValues(hostEnv));
        secrets.addAll(referencedSecrets(config, hostEnv));
        return Redactor.of(secrets);
    }

    /**
     * The secrets the configuration names by reference ({@code env:NAME}, {@code file:/path}): GitHub's token and
     * webhook secret, each git remote's credentials (and the password of a {@code user:password}). Read once here; a
     * reference that finds nothing masks nothing (start-up reports it where it is used).
     */
    static List<String> referencedSecrets(QuorumConfig config, Map<String, String> hostEnv) {
        List<String> references = new ArrayList<>();
        references.add(config.github().token());
        references.add(config.github().webhookSecret());
        config.repos().values().forEach(repo -> references.add(repo.credentials()));
        List<String> out = new ArrayList<>();
        for (String reference : references) {
            if (!SecretRef.isReference(reference)) continue;
            if (new SecretRef(reference).lookup(hostEnv::get) instanceof SecretRef.Lookup.Found found) {
                add(out, found.value());
                int colon = found.value().indexOf(':');
                if (colon > 0) add(out, found.value().substring(colon + 1));
            }
        }
        return out;
    }

    private static void add(List<String> out, String secret) {
        if (secret != null && !secret.isBlank()) out.add(secret);
    }

    /** The default branch of a repo, as configured. */
    public static String defaultBranch(QuorumConfig config, String repo) {
        RepoConfig rc = config.repos().get(repo);
        return rc == null ? "main" : rc.defaultBranch();
    }
}
