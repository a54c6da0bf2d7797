package dev.quorum.config;

import dev.quorum.repo.remote.RemoteAddress;
import io.lettuce.core.RedisURI;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what binding cannot: references between sections, ranges and mutually exclusive keys.
 * The first problem found ends validation with a {@link ConfigException}.
 */
final class ConfigValidator {
    static final Set<String> PLATFORMS = Set.of("console", "slack", "discord", "github");
    /** A group may list a Discord role: its members are in the group on Discord (issue 11). */
    private static final String DISCORD_ROLE_PREFIX = "discord-role:";
    private static final Pattern DISCORD_ROLE = Pattern.compile("discord-role:\\d{1,20}/\\d{1,20}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,39}");
    private static final Pattern IDENTITY = Pattern.compile("([a-z]+):([A-Za-z0-9_.-]{1,64})");
    private static final Set<String> MERGE_STYLES = Set.of("merge", "fast-forward");
    private static final Set<String> VERIFY_MODES = Set.of("full", "ca", "none");
    private static final Set<String> FSYNC_MODES = Set.of("always", "everysec");
    private static final Set<String> PROVIDERS = Set.of("openai", "anthropic");
    private static final Pattern FOLDER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CLUSTER_NODE = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");
    /** A critical write is answered only after its WAIT: longer than this and votes feel stuck. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private final QuorumConfig c;

    ConfigValidator(QuorumConfig config) {
        this.c = config;
    }

    QuorumConfig validate() {
        checkRange("http.port", c.http().port(), 0, 65535);
        checkRedis();
        checkUrl("http.public_url", c.http().publicUrl(), true);
        checkConsole();
        checkDemoBind();
        checkPeople();
        checkGroups();
        checkRepos();
        checkSandboxes();
        QuorumConfig withDefaultRepo = inferDefaultRepo();
        new ConfigValidator(withDefaultRepo).checkEnvironmentsAndPolicies();
        checkEvidence();
        checkModel();
        checkAgents();
        checkResearch();
        checkWorkers();
        checkLimits();
        checkSlack();
        checkDiscord();
        checkGitHub();
        checkDigest();
        return withDefaultRepo;
    }

    private void checkRedis() {
        RedisConfig r = c.redis();
        checkRange("redis.embedded_port", r.embeddedPort(), 0, 65535);
        if (r.url() != null && r.isCluster()) {
            throw new ConfigException("redis.cluster", r.cluster(), "give either redis.url (one server, or Sentinel) or redis.cluster, not both");
        }
        if (r.url() != null) checkRedisUrl(r);
        r.cluster().forEach(ConfigValidator::checkClusterNode);
        if (!r.isCluster()) {
            String onlyCluster = "applies only to redis.cluster; with redis.url put the user and password in the URL";
            if (r.clusterUser() != null) throw new ConfigException("redis.cluster_user", r.clusterUser(), onlyCluster);
            if (r.clusterPassword() != null) throw new ConfigException("redis.cluster_password", "***", onlyCluster);
            if (r.clusterTls() != null) throw new ConfigException("redis.cluster_tls", r.clusterTls(), "applies only to redis.cluster; with redis.url use rediss://");
        }
        checkSecretReference("redis.cluster_password", r.clusterPassword());
        if (r.tlsVerify() != null && !VERIFY_MODES.contains(r.tlsVerify())) {
            throw new ConfigException("redis.tls_verify", r.tlsVerify(), "must be full, ca or none");
        }
        String onlyTls = "applies only to a rediss:// redis.url (Redis over TLS)";
        if (!r.tls() && r.tlsCaFile() != null) throw new ConfigException("redis.tls_ca_file", r.tlsCaFile(), onlyTls);
        if (!r.tls() && r.tlsVerify() != null) throw new ConfigException("redis.tls_verify", r.tlsVerify(), onlyTls);
        r.caFile().ifPresent(ConfigValidator::checkCaFile);
        if (r.embeddedFsync() != null && !FSYNC_MODES.contains(r.embeddedFsync())) {
            throw new ConfigException("redis.embedded_fsync", r.embeddedFsync(), "must be always or everysec");
        }
        if (!r.embedded() && r.embeddedFsync() != null) {
            throw new ConfigException("redis.embedded_fsync", r.embeddedFsync(),
                    "applies only to the embedded server (no redis.url); set appendfsync on your own Redis");
        }
        if (r.waitReplicas() != null) {
            checkRange("redis.wait_replicas", r.waitReplicas(), 0, 16);
            if (r.embedded() && r.waitReplicas() > 0) {
                throw new ConfigException("redis.wait_replicas", r.waitReplicas(), "the embedded server has no replicas; this applies to your own Redis");
            }
        }
        checkPositive("redis.wait_timeout", r.waitTimeout());
        if (r.waitTimeout().compareTo(MAX_WAIT) > 0) {
            throw new ConfigException("redis.wait_timeout", Durations.format(r.waitTimeout()), "must be at most " + Durations.format(MAX_WAIT)
                    + ": a vote or state change waits this long for a replica before it is answered");
        }
    }

    /**
     * The URL as Lettuce will read it, so what passes here connects; every message shows the URL
     * with its password masked, and never Lettuce's own error text (which repeats the URL).
     */
    private static void checkRedisUrl(RedisConfig r) {
        if (!r.url().matches("(rediss?|rediss?-sentinel)://.+")) {
            throw new ConfigException("redis.url", r.displayUrl(), "must start with redis://, rediss://, redis-sentinel:// or rediss-sentinel://");
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(r.url());
        } catch (RuntimeException e) {
            uri = null;
        }
        if (r.sentinel() && !r.url().contains("sentinelMasterId=")) { // Lettuce cannot parse a Sentinel URL without one
            throw new ConfigException("redis.url", r.displayUrl(),
                    "names no master: add ?sentinelMasterId=<the name the sentinels monitor, as in their sentinel monitor line>");
        }
        if (r.sentinel()) {
            String form = "not a Sentinel URL: use redis[s]-sentinel://[user:password@]host[:port][,host[:port]...][/db]?sentinelMasterId=name, "
                    + "with @ : / in the password percent-encoded";
            if (uri == null || uri.getSentinels().isEmpty() || !uri.getSentinels().stream().allMatch(s -> validHost(s.getHost()))) {
                throw new ConfigException("redis.url", r.displayUrl(), form);
            }
            if (uri.getSentinelMasterId() == null || uri.getSentinelMasterId().isBlank()) {
                throw new ConfigException("redis.url", r.displayUrl(),
                        "names no master: add ?sentinelMasterId=<the name the sentinels monitor, as in their sentinel monitor line>");
            }
            return;
        }
        if (uri == null || !validHost(uri.getHost())) {
            throw new ConfigException("redis.url", r.displayUrl(),
                    "not a Redis URL: use redis[s]://[user:password@]host[:port][/db], with @ : / in the password percent-encoded");
        }
    }

    private static boolean validHost(String host) {
        boolean ipv6 = host != null && host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
        return host != null && (HOST.matcher(host).matches() || ipv6);
    }

    /** A seed node of a Cluster: {@code host:port} or {@code [v6]:port}; credentials have their own keys, so none hide here. */
    private static void checkClusterNode(String node) {
        var m = CLUSTER_NODE.matcher(node == null ? "" : node);
        int port = m.matches() ? Integer.parseInt(m.group(3)) : 0;
        String host = m.matches() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
        if (port < 1 || port > 65535 || !validHost(host)) {
            String shown = node != null && node.contains("@") ? "***" : node;
            throw new ConfigException("redis.cluster", shown, "each node must be host:port (user and password go in cluster_user and cluster_password)");
        }
    }

    private static void checkCaFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new CertificateException("no certificate");
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("redis.tls_ca_file", file, "no such file");
        } catch (IOException e) {
            throw new ConfigException("redis.tls_ca_file", file, "cannot be read: " + e.getMessage());
        } catch (CertificateException e) {
            throw new ConfigException("redis.tls_ca_file", file, "not a PEM file of CA certificates");
        }
    }

    /** Slack's three tokens are easy to mix up; each has its prefix, and the first two go together. */
    private void checkSlack() {
        SlackConfig s = c.slack();
        checkUrl("slack.api_url", s.apiUrl(), true);
        boolean token = SlackConfig.present(s.botToken());
        boolean secret = SlackConfig.present(s.signingSecret());
        if (token && !s.botToken().startsWith("xoxb-")) {
            throw new ConfigException("slack.bot_token", "***", "must be the bot token (xoxb-...) from the app's OAuth & Permissions page");
        }
        if (token != secret) {
            String missing = token ? "signing_secret" : "bot_token";
            String given = token ? "bot_token" : "signing_secret";
            throw new ConfigException("slack." + missing, null, "required when slack." + given + " is set; Slack needs both");
        }
        if (s.socketMode()) {
            if (!s.appToken().startsWith("xapp-")) {
                throw new ConfigException("slack.app_token", "***", "must be an app-level token (xapp-...) with the connections:write scope");
            }
            if (!token) throw new ConfigException("slack.bot_token", null, "required when slack.app_token is set (Socket Mode)");
        }
    }

    /**
     * Discord's token goes into an {@code Authorization: Bot ...} header: one pasted with that word, or with a
     * line break, would never sign in, and the error would not say why.
     */
    private void checkDiscord() {
        DiscordConfig d = c.discord();
        checkUrl("discord.api_url", d.apiUrl(), true);
        if (d.enabled()) {
            if (d.botToken().regionMatches(true, 0, "Bot ", 0, 4)) {
                throw new ConfigException("discord.bot_token", "***", "the token alone, without the word Bot in front");
            }
            if (!d.botToken().matches("[A-Za-z0-9._-]+")) {
                throw new ConfigException("discord.bot_token", "***", "must be the bot's token (Bot → Reset Token in the developer portal): letters, digits, . _ -");
            }
        }
        for (int i = 0; i < d.guilds().size(); i++) {
            String g = d.guilds().get(i);
            if (g == null || !g.matches("[0-9]{1,20}")) {
                throw new ConfigException("discord.guilds[" + i + "]", g, "must be a guild (server) id: digits only (Copy Server ID)");
            }
        }
    }

    private void checkConsole() {
        Set<String> tokens = new HashSet<>();
        c.console().users().forEach((name, user) -> {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("console.users." + name, name, "user names are lower-case letters, digits, _ . -");
            }
            String token = user == null ? null : user.token();
            if (token == null || token.isBlank()) {
                if (!c.console().demo()) {
                    throw new ConfigException("console.users." + name + ".token", null, "required when console.demo is false");
                }
            } else if (token.length() < 16) {
                throw new ConfigException("console.users." + name + ".token", "***", "must be at least 16 characters");
            } else if (!tokens.add(token)) {
                throw new ConfigException("console.users." + name + ".token", "***", "is the same as another user's token");
            }
        });
    }

    /**
     * Demo mode lets anyone act as anyone, so only this machine may reach it (SPEC §7). The
     * container image opts in explicitly and publishes the port on the host's loopback.
     */
    private void checkDemoBind() {
        if (c.console().demo() && !c.http().loopbackOnly() && !c.console().demoOnAllAddresses()) {
            throw new ConfigException("http.host", c.http().host(), "console.demo serves loopback only; "
                    + "use 127.0.0.1 (the default), or set console.demo: false and give every console user a token");
        }
        checkPositive("console.session_ttl", c.console().sessionTtl());
        checkConsoleRoles();
    }

    /** {@code console.roles}: known roles only, each member an identity or a person (as in a group). */
    private void checkConsoleRoles() {
        c.console().roles().forEach((role, members) -> {
            if (!ConsoleConfig.MANAGERS.equals(role)) {
                throw new ConfigException("console.roles." + role, role, "unknown console role; the roles are: " + ConsoleConfig.MANAGERS);
            }
            for (String member : members == null ? List.<String>of() : members) {
                if (member != null && member.contains(":")) checkIdentity("console.roles." + role, member);
                else if (!c.people().containsKey(member)) {
                    throw new ConfigException("console.roles." + role, member, "neither an identity (platform:id) nor a person in people");
                }
            }
        });
    }

    private void checkPeople() {
        Map<String, String> owner = new java.util.HashMap<>();
        c.people().forEach((person, identities) -> {
            if (!NAME.matcher(person).matches()) {
                throw new ConfigException("people." + person, person, "person names are lower-case letters, digits, _ . -");
            }
            for (String identity : identities == null ? List.<String>of() : identities) {
                checkIdentity("people." + person, identity);
                String previous = owner.put(identity, person);
                if (previous != null && !previous.equals(person)) {
                    throw new ConfigException("people." + person, identity, "already belongs to person " + previous);
                }
            }
        });
    }

    private void checkGroups() {
        c.groups().forEach((group, members) -> {
            if (!NAME.matcher(group).matches()) {
                throw new ConfigException("groups." + group, group, "group names are lower-case letters, digits, _ . -");
            }
            for (String member : members == null ? List.<String>of() : members) {
                if (member != null && member.startsWith(DISCORD_ROLE_PREFIX)) {
                    if (!DISCORD_ROLE.matcher(member).matches()) {
                        throw new ConfigException("groups." + group, member, "a Discord role is discord-role:<guild id>/<role id> (both numbers)");
                    }
                } else if (member != null && member.contains(":")) {
                    checkIdentity("groups." + group, member);
                } else if (!c.people().containsKey(member)) {
                    throw new ConfigException("groups." + group, member, "neither an identity (platform:id) nor a person in people");
                }
            }
        });
    }

    private void checkIdentity(String key, String identity) {
        var m = identity == null ? null : IDENTITY.matcher(identity);
        if (m == null || !m.matches()) {
            throw new ConfigException(key, identity, "not an identity of the form platform:id");
        }
        if (!PLATFORMS.contains(m.group(1))) {
            throw new ConfigException(key, identity, "unknown platform; use one of " + String.join(", ", PLATFORMS.stream().sorted().toList()));
        }
        if (m.group(1).equals("console") && !c.console().users().containsKey(m.group(2))) {
            throw new ConfigException(key, identity, "no such user in console.users");
        }
    }

    private void checkRepos() {
        c.repos().forEach((name, repo) -> {
            String key = "repos." + name;
            if (!NAME.matcher(name).matches()) throw new ConfigException(key, name, "repo names are lower-case letters, digits, _ . -");
            checkRepoLocation(key, repo);
            if (repo.testCommand().isBlank()) throw new ConfigException(key + ".test_command", "", "must not be empty");
            if (repo.reports().isEmpty()) throw new ConfigException(key + ".reports", "[]", "needs at least one glob");
            checkPositive(key + ".test_timeout", repo.testTimeout());
            if (!MERGE_STYLES.contains(repo.mergeStyle())) {
                throw new ConfigException(key + ".merge_style", repo.mergeStyle(), "must be merge or fast-forward");
            }
            if (!repo.defaultBranch().matches("[A-Za-z0-9._/-]+")) {
                throw new ConfigException(key + ".default_branch", repo.defaultBranch(), "not a branch name");
            }
        });
    }

    /**
     * Where a repo lives: exactly one of {@code path} (this disk) and {@code url} (a git server). A secret pasted into
     * {@code url} or {@code credentials} is an error that names the key and never repeats the value.
     */
    private static void checkRepoLocation(String key, RepoConfig repo) {
        boolean hasPath = repo.path() != null && !repo.path().isBlank();
        boolean hasUrl = repo.url() != null;
        if (repo.github() != null && hasPath) {
            throw new ConfigException(key + ".path", repo.path(), "not with github: a repo on GitHub is mirrored from GitHub "
                    + "(give url only to fetch it from another git address)");
        }
        if (repo.github() != null && !hasUrl) {
            if (repo.credentials() != null) throw new ConfigException(key + ".credentials", NOT_SHOWN, "only for a repo with a url");
            if (repo.demo()) throw new ConfigException(key + ".demo", true, "the demo repository is created on this disk; not with github");
            return;
        }
        if (hasPath == hasUrl) {
            throw new ConfigException(key + ".path", hasPath ? repo.path() : null,
                    hasPath ? "give either path or url, not both" : "required (or url, for a repository on a git server)");
        }
        if (!hasUrl) {
            if (repo.credentials() != null) throw new ConfigException(key + ".credentials", NOT_SHOWN, "only for a repo with a url");
            return;
        }
        if (repo.demo()) throw new ConfigException(key + ".demo", true, "the demo repository is created on this disk; not with a url");
        RemoteAddress.urlProblem(repo.url()).ifPresent(problem -> {
            throw new ConfigException(key + ".url", problem.startsWith("must not contain credentials") ? NOT_SHOWN : repo.url(), problem);
        });
        RemoteAddress.credentialsProblem(repo.credentials()).ifPresent(problem -> {
            throw new ConfigException(key + ".credentials", NOT_SHOWN, problem);
        });
        String variable = repo.credentials() == null ? null : new SecretRef(repo.credentials()).variable().orElse(null);
        if (variable != null && repo.env().contains(variable)) {
            throw new ConfigException(key + ".env", variable, "holds this repo's git credentials; the code under test must not see them");
        }
    }

    /** Stands for a value that may be a secret in a config error. */
    private static final String NOT_SHOWN = "(not shown)";

    /** Each repo's sandbox (SPEC §11); the demo console must not be reachable from code under test. */
    private void checkSandboxes() {
        c.repos().forEach((name, repo) -> {
            String key = "repos." + name + ".sandbox";
            SandboxConfig s = repo.sandbox();
            if (s.off()) return;
            for (String[] net : List.of(new String[]{"network", s.network()}, new String[]{"trusted_network", s.trustedNetwork()})) {
                if (!net[1].equals("none") && !net[1].equals("host")) throw new ConfigException(key + "." + net[0], net[1], "must be none or host");
            }
            if (s.network().equals("host") && c.console().demo()) {
                throw new ConfigException(key + ".network", "host", "not with console.demo: code under test could reach the "
                        + "demo console on loopback and act as any demo user; use none, or turn demo mode off");
            }
            checkRange(key + ".max_processes", s.maxProcesses(), 16, 1_000_000);
            try {
                if (Sizes.parse(s.maxMemory()) < 64L << 20) throw new IllegalArgumentException("must be at least 64m");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ".max_memory", s.maxMemory(), e.getMessage());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < s.cache().size(); i++) {
                SandboxConfig.Cache cache = s.cache().get(i);
                String ck = key + ".cache[" + i + "]";
                String path = cache == null ? null : cache.path();
                if (path == null || path.isBlank() || path.startsWith("/") || path.startsWith("~")
                        || List.of(path.split("/")).contains("..") || path.contains("\\") || path.contains(":")) {
                    throw new ConfigException(ck + ".path", path, "a folder relative to the run's home, such as .m2/repository, without ..");
                }
                if (!seen.add(path)) throw new ConfigException(ck + ".path", path, "listed twice");
                if (cache.seed() != null && !(cache.seed().startsWith("/") || cache.seed().startsWith("~/"))) {
                    throw new ConfigException(ck + ".seed", cache.seed(), "an absolute host folder (or ~/...)");
                }
            }
            for (int i = 0; i < s.readOnly().size(); i++) {
                String ro = s.readOnly().get(i);
                if (ro == null || !(ro.startsWith("/") || ro.startsWith("~/")) || ro.equals("/")) {
                    throw new ConfigException(key + ".read_only[" + i + "]", ro, "an absolute host folder (or ~/...), not /");
                }
            }
        });
    }

    private QuorumConfig inferDefaultRepo() {
        if (c.defaultRepo() != null) {
            if (!c.repos().containsKey(c.defaultRepo())) {
                throw new ConfigException("default_repo", c.defaultRepo(), "no such repo in repos");
            }
            return c;
        }
        if (c.repos().size() != 1) {
            return c;
        }
        String only = c.repos().keySet().iterator().next();
        return new QuorumConfig(c.http(), c.data(), c.redis(), c.console(), c.groups(), c.people(), c.oncallGroup(),
                only, c.repos(), c.environments(), c.policies(), c.evidence(), c.model(), c.slack(), c.discord(), c.agents(),
                c.research(), c.workers(), c.github(), c.limits(), c.digest());
    }

    private void checkEnvironmentsAndPolicies() {
        c.environments().forEach((name, env) -> {
            String key = "environments." + name;
            if (!NAME.matcher(name).matches()) throw new ConfigException(key, name, "environment names are lower-case letters, digits, _ . -");
            String repo = c.repoOf(name);
            if (repo == null || !c.repos().containsKey(repo)) throw new ConfigException(key + ".repo", repo, "no such repo in repos");
            if (env.byCommand() == (env.webhook() != null)) {
                throw new ConfigException(key, name, "needs exactly one of command or webhook");
            }
            if (env.webhook() != null) {
                checkUrl(key + ".webhook.url", env.webhook().url(), false);
                if (env.webhook().secret() == null || env.webhook().secret().length() < 16) {
                    throw new ConfigException(key + ".webhook.secret", "***", "required, at least 16 characters");
                }
                checkRange(key + ".webhook.retries", env.webhook().retries(), 0, 10);
            }
            checkPositive(key + ".timeout", env.timeout());
            checkDeployRefsAndVariables(key, env);
        });
        checkTestsNeverGetDeployVariables();
        c.policies().forEach(this::checkPolicy);
    }

    /** {@code refs}, {@code env} and {@code secrets} of one environment. */
    private static void checkDeployRefsAndVariables(String key, EnvironmentConfig env) {
        for (int i = 0; i < env.refs().size(); i++) {
            String pattern = env.refs().get(i);
            String rk = key + ".refs[" + i + "]";
            if (pattern == null || !pattern.startsWith("refs/")) {
                throw new ConfigException(rk, pattern, "a glob over full ref names, such as refs/tags/v* or refs/heads/release/*");
            }
            checkGlob(rk, pattern);
        }
        if (!env.byCommand() && (!env.env().isEmpty() || !env.secrets().isEmpty())) {
            throw new ConfigException(key + (env.env().isEmpty() ? ".secrets" : ".env"), null,
                    "only for a deploy command; a webhook deploy is authenticated by webhook.secret");
        }
        for (int i = 0; i < env.env().size(); i++) checkVariable(key + ".env[" + i + "]", env.env().get(i));
        env.secrets().forEach((name, file) -> {
            checkVariable(key + ".secrets." + name, name);
            if (env.env().contains(name)) throw new ConfigException(key + ".secrets." + name, name, "is also in " + key + ".env");
            if (file == null || !Path.of(file).isAbsolute()) {
                throw new ConfigException(key + ".secrets." + name, file, "the absolute path of the file holding the value, such as /run/secrets/" + name.toLowerCase(Locale.ROOT));
            }
        });
    }

    private static void checkGlob(String key, String glob) {
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) { // its own message spans three lines; a config error is one
            throw new ConfigException(key, glob, "not a glob: " + e.getDescription() + " at character " + (e.getIndex() + 1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, glob, "not a glob: " + e.getMessage());
        }
    }

    private static void checkVariable(String key, String name) {
        if (name == null || !VARIABLE.matcher(name).matches()) {
            throw new ConfigException(key, name, "not an environment variable name (letters, digits, _; not starting with a digit)");
        }
        if (name.startsWith("QUORUM_")) throw new ConfigException(key, name, "QUORUM_ variables are set by Quorum itself");
    }

    /**
     * A deploy's variables reach its command only: a repo's {@code env} (what every test run of
     * every branch receives, approved or not) may not name one.
     */
    private void checkTestsNeverGetDeployVariables() {
        c.repos().forEach((repoName, repo) -> repo.env().forEach(name -> c.environments().forEach((envName, env) -> {
            if (env.env().contains(name) || env.secrets().containsKey(name)) {
                throw new ConfigException("repos." + repoName + ".env", name, "is a variable of environment " + envName
                        + "'s deploy (environments." + envName + (env.env().contains(name) ? ".env" : ".secrets")
                        + "); test runs must never receive it");
            }
        })));
    }

    private void checkPolicy(String action, PolicyConfig p) {
        String key = "policies." + action;
        boolean known = action.equals("merge") || action.equals("deploy")
                || action.startsWith("deploy.") && c.environments().containsKey(action.substring(7));
        if (!known) {
            throw new ConfigException(key, action, "not an action: use merge, deploy or deploy.<environment>");
        }
        checkRange(key + ".approvals", p.approvals(), 1, 100);
        if (p.eligible().isEmpty()) throw new ConfigException(key + ".eligible", "[]", "needs at least one group");
        for (String g : p.eligible()) checkGroup(key + ".eligible", g);
        checkMinimums(key + ".require", p.require(), p.approvals());
        checkPositive(key + ".ttl", p.ttl());
        for (int i = 0; i < p.paths().size(); i++) {
            PolicyConfig.PathRule rule = p.paths().get(i);
            String rk = key + ".paths[" + i + "]";
            if (rule.match() == null || rule.match().isBlank()) throw new ConfigException(rk + ".match", null, "required");
            checkGlob(rk + ".match", rule.match());
            if (rule.approvals() != null) checkRange(rk + ".approvals", rule.approvals(), 1, 100);
            checkMinimums(rk + ".require", rule.require(), Math.max(p.approvals(), rule.approvals() == null ? 0 : rule.approvals()));
        }
    }

    private void checkMinimums(String key, List<PolicyConfig.GroupMinimum> minimums, int approvals) {
        for (PolicyConfig.GroupMinimum m : minimums) {
            checkGroup(key, m.group());
            checkRange(key + "." + m.group() + ".count", m.count(), 1, approvals);
        }
    }

    private void checkGroup(String key, String group) {
        if (!c.groups().containsKey(group)) throw new ConfigException(key, group, "no such group in groups");
    }

    private void checkEvidence() {
        checkRange("evidence.max_concurrent_runs", c.evidence().maxConcurrentRuns(), 1, 64);
    }

    private void checkModel() {
        ModelConfig m = c.model();
        if (m.provider() != null && !PROVIDERS.contains(m.provider())) {
            throw new ConfigException("model.provider", m.provider(), "must be openai or anthropic");
        }
        if (m.temperature() < 0 || m.temperature() > 2) {
            throw new ConfigException("model.temperature", m.temperature(), "must be between 0 and 2");
        }
        checkRange("model.max_retries", m.maxRetries(), 0, 10);
        checkPositive("model.timeout", m.timeout());
        checkUrl("model.base_url", m.baseUrl(), true);
    }

    private void checkAgents() {
        if (c.model().configured() && (c.model().apiKey() == null || c.model().apiKey().isBlank())) {
            throw new ConfigException("model.api_key", null, "required when model.provider is set: set "
                    + c.model().provider().toUpperCase(java.util.Locale.ROOT) + "_API_KEY (any value for a local server)");
        }
        AgentsConfig a = c.agents();
        checkRange("agents.max_concurrent_runs", a.maxConcurrentRuns(), 1, 1000);
        checkRange("agents.budget.max_model_calls", a.budget().maxModelCalls(), 1, 10_000);
        if (a.budget().maxTokens() < 1) throw new ConfigException("agents.budget.max_tokens", a.budget().maxTokens(), "must be 1 or more");
        checkPositive("agents.budget.timeout", a.budget().timeout());
        if (!(a.budget().maxCost() > 0)) throw new ConfigException("agents.budget.max_cost", a.budget().maxCost(), "must be more than 0 USD");
        if (a.maxBudget() < a.budget().maxCost()) {
            throw new ConfigException("agents.max_budget", a.maxBudget(), "must be at least agents.budget.max_cost ("
                    + a.budget().maxCost() + ")");
        }
    }

    private void checkResearch() {
        ResearchConfig r = c.research();
        Set<String> names = new HashSet<>(r.indexRepos() ? c.repos().keySet() : Set.of());
        for (int i = 0; i < r.folders().size(); i++) {
            ResearchConfig.Folder f = r.folders().get(i);
            String key = "research.folders[" + i + "]";
            if (f == null || f.name() == null || !FOLDER_NAME.matcher(f.name()).matches()) {
                throw new ConfigException(key + ".name", f == null ? null : f.name(), "one path segment of letters, digits, . _ -");
            }
            if (!names.add(f.name())) {
                throw new ConfigException(key + ".name", f.name(), "already names a repo or another folder");
            }
            if (f.path() == null || f.path().isBlank()) throw new ConfigException(key + ".path", null, "required");
        }
        for (int i = 0; i < r.fetchAllow().size(); i++) {
            String host = r.fetchAllow().get(i);
            if (host == null || !HOST.matcher(host).matches()) {
                throw new ConfigException("research.fetch_allow[" + i + "]", host, "a host name such as docs.python.org, without scheme or path");
            }
        }
        checkUrl("research.arxiv_url", r.arxivUrl(), false);
    }

    private void checkLimits() {
        checkRange("limits.user_per_minute", c.limits().userPerMinute(), 0, 1_000_000);
        checkRange("limits.channel_per_minute", c.limits().channelPerMinute(), 0, 1_000_000);
        checkRange("limits.max_queued_jobs", c.limits().maxQueuedJobs(), 0, 10_000_000);
    }

    /** {@code digest}: a schedule of the one form, a channel on a known platform, a known period and zone. */
    private void checkDigest() {
        DigestConfig d = c.digest();
        if (d.schedule() == null) {
            if (d.channel() != null) throw new ConfigException("digest.schedule", null, "required with digest.channel (such as \"mon 09:00\")");
            return;
        }
        if (d.when().isEmpty()) {
            throw new ConfigException("digest.schedule", d.schedule(), "must be a weekday (mon..sun) or daily, then a time: \"mon 09:00\"");
        }
        if (d.channel() == null) throw new ConfigException("digest.channel", null, "required with digest.schedule (such as slack:C123)");
        int colon = d.channel().indexOf(':');
        if (colon < 1 || !PLATFORMS.contains(d.channel().substring(0, colon)) || colon == d.channel().length() - 1
                || !d.channel().substring(colon + 1).matches("[A-Za-z0-9_.#/-]{1,200}")) {
            throw new ConfigException("digest.channel", d.channel(), "must be platform:channel with a platform of " + new java.util.TreeSet<>(PLATFORMS));
        }
        String platform = d.channel().substring(0, colon);
        if (platform.equals("slack") && !c.slack().enabled() || platform.equals("discord") && !c.discord().enabled()) {
            throw new ConfigException("digest.channel", d.channel(), "Quorum is not on " + platform + " (see the " + platform + " section)");
        }
        if (!d.period().equals("week") && !d.period().equals("month")) {
            throw new ConfigException("digest.period", d.period(), "must be week or month");
        }
        try {
            java.time.ZoneId.of(d.zone());
        } catch (java.time.DateTimeException e) {
            throw new ConfigException("digest.zone", d.zone(), "not a time zone; use UTC or a region such as Europe/Berlin");
        }
    }

    private void checkWorkers() {
        WorkersConfig w = c.workers();
        checkRange("workers.concurrency", w.concurrency(), 1, 10_000);
        checkPositive("workers.heartbeat", w.heartbeat());
        checkRange("workers.max_attempts", w.maxAttempts(), 1, 100);
        if (w.reclaimAfter().compareTo(w.heartbeat().multipliedBy(2)) < 0) {
            throw new ConfigException("workers.reclaim_after", Durations.format(w.reclaimAfter()),
                    "must be at least twice workers.heartbeat (" + Durations.format(w.heartbeat()) + ")");
        }
    }

    private static final Pattern GITHUB_OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
    private static final Pattern GITHUB_REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /**
     * The {@code github:} section and each repo's {@code github: {owner, repo}} (issue 12): secrets by
     * reference only, one way to authenticate, and one wherever a repo lives on GitHub.
     */
    private void checkGitHub() {
        GitHubConfig g = c.github();
        checkUrl("github.api_url", g.apiUrl(), false);
        checkSecretReference("github.webhook_secret", g.webhookSecret());
        checkSecretReference("github.token", g.token());
        if (g.app() != null) {
            if (g.token() != null) throw new ConfigException("github.token", g.token(), "set either github.token or github.app, not both");
            if (g.app().id() == null || g.app().id() < 1) throw new ConfigException("github.app.id", g.app().id(), "required: the App ID from the app's settings page");
            if (g.app().installationId() == null || g.app().installationId() < 1) {
                throw new ConfigException("github.app.installation_id", g.app().installationId(), "required: the number at the end of the installation's settings URL");
            }
            if (g.app().privateKeyFile() == null || !Path.of(g.app().privateKeyFile()).isAbsolute()) {
                throw new ConfigException("github.app.private_key_file", g.app().privateKeyFile(), "the absolute path of the app's private key (.pem)");
            }
        }
        c.repos().forEach((name, repo) -> {
            for (String ref : new String[]{g.token(), g.webhookSecret()}) {
                String variable = ref == null ? null : new SecretRef(ref).variable().orElse(null);
                if (variable != null && repo.env().contains(variable)) {
                    throw new ConfigException("repos." + name + ".env", variable, "holds a GitHub secret (github."
                            + (ref.equals(g.token()) ? "token" : "webhook_secret") + "); test runs must never receive it");
                }
            }
            if (repo.github() == null) return;
            String key = "repos." + name + ".github";
            if (repo.github().owner() == null || !GITHUB_OWNER.matcher(repo.github().owner()).matches()) {
                throw new ConfigException(key + ".owner", repo.github().owner(), "a GitHub user or organisation name");
            }
            if (repo.github().repo() == null || !GITHUB_REPO.matcher(repo.github().repo()).matches()
                    || repo.github().repo().equals(".") || repo.github().repo().equals("..")) {
                throw new ConfigException(key + ".repo", repo.github().repo(), "a GitHub repository name (letters, digits, . _ -)");
            }
            if (g.token() == null && g.app() == null) {
                throw new ConfigException("github.token", null, "required for " + key + ": set GITHUB_TOKEN, github.token or github.app");
            }
            checkLanding("repos." + name, repo.github());
        });
    }

    private static final List<String> GITHUB_LANDINGS = List.of("push", "merge_api");
    private static final List<String> GITHUB_MERGE_METHODS = List.of("merge", "squash", "rebase");

    /** How a pull request lands, and the merge API's method only where the merge API lands it. */
    private static void checkLanding(String repoKey, RepoConfig.GitHub github) {
        String key = repoKey + ".github";
        if (!GITHUB_LANDINGS.contains(github.landing())) {
            throw new ConfigException(key + ".landing", github.landing(), "must be push (Quorum fast-forwards the base to the tested "
                    + "merge) or merge_api (GitHub's merge API with the approved head)");
        }
        if (!GITHUB_MERGE_METHODS.contains(github.mergeMethod())) {
            throw new ConfigException(key + ".merge_method", github.mergeMethod(), "must be merge, squash or rebase");
        }
        if (github.landing().equals("push") && !github.mergeMethod().equals("merge")) {
            throw new ConfigException(key + ".merge_method", github.mergeMethod(), "only with landing: merge_api; landing: push "
                    + "lands the tested merge commit itself (" + repoKey + ".merge_style says whether it may be a fast-forward)");
        }
    }

    /** A secret in the config text would end up in backups and diffs: only where to find it is written. */
    private static void checkSecretReference(String key, String reference) {
        if (reference != null && !SecretRef.isReference(reference)) {
            throw new ConfigException(key, "***", "a reference, env:VARIABLE or file:/absolute/path, never the secret itself");
        }
    }

    private static void checkRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, value, "must be between " + min + " and " + max);
        }
    }

    private static void checkPositive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) throw new ConfigException(key, Durations.format(d), "must be longer than zero");
    }

    private static void checkUrl(String key, String url, boolean optional) {
        if (url == null) {
            if (optional) return;
            throw new ConfigException(key, null, "required");
        }
        try {
            URI u = URI.create(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, url, "not an http(s) URL");
        }
    }
}
