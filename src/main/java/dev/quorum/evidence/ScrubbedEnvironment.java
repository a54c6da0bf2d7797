package dev.quorum.evidence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a test command gets: not Quorum's, but a minimal base plus the variables the
 * repository's config allows by name.
 *
 * <p>The base: {@code PATH} (Quorum's, or a standard one), {@code HOME} and {@code TMPDIR} in the
 * run's own workspace (so caches and dotfiles of one run cannot leak into another), {@code LANG}
 * (Quorum's, or {@code C.UTF-8}), {@code JAVA_HOME} when Quorum has one, and {@code CI=true} so
 * tools do not wait for a terminal. An allowed variable overrides the base, e.g. allowing
 * {@code HOME} shares the real one (and its {@code ~/.m2}). {@code MAVEN_OPTS}, proxies and the
 * like reach the command only when allowed.
 */
public final class ScrubbedEnvironment {

    /** Quorum's own secrets (SPEC §1): never given to a test command, even when allowed. */
    public static final Set<String> NEVER_PASSED = Set.of(
            "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN",
            "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GITHUB_TOKEN", "REDIS_URL");

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private ScrubbedEnvironment() {
    }

    /** The environment for one run. */
    public static Map<String, String> build(Map<String, String> hostEnv, Set<String> allowed, Path home, Path tmp) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", hostEnv.getOrDefault("PATH", DEFAULT_PATH));
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("LANG", hostEnv.getOrDefault("LANG", "C.UTF-8"));
        env.put("CI", "true");
        if (hostEnv.containsKey("JAVA_HOME")) {
            env.put("JAVA_HOME", hostEnv.get("JAVA_HOME"));
        }
        for (String name : allowed) {
            if (!NEVER_PASSED.contains(name) && hostEnv.containsKey(name)) {
                env.put(name, hostEnv.get(name));
            }
        }
        return env;
    }

    /**
     * The values of Quorum's own secrets in {@code hostEnv}, to mask in case a test digs them out
     * (a child can read its parent's {@code /proc/<pid>/environ}).
     */
    public static List<String> quorumSecretValues(Map<String, String> hostEnv) {
        List<String> values = new ArrayList<>();
        for (String name : NEVER_PASSED) {
            String value = hostEnv.get(name);
            if (value != null && !value.isBlank()) {
                values.add(value);
            }
        }
        return values;
    }
}
