package dev.quorum.evidence;

import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets the configuration names only by reference (GitHub's token and webhook secret, a git
 * remote's credentials) and Discord's token written in the file are masked in every log Quorum
 * keeps or posts, like the secrets it is given directly.
 */
class ReferencedSecretsRedactionTest {
    @TempDir
    Path dir;

    @Test
    void secretsNamedByReferenceAndDiscordsTokenAreMasked() throws Exception {
        Path credentials = Files.writeString(dir.resolve("git-credentials"), "ci-bot:remote-pass-7Qm2x9Lk\n");
        String yaml = """
                discord: {bot_token: "discord-token-Zr81kQp2"}
                github: {token: "env:GH_FOR_TEST", webhook_secret: "file:%s"}
                repos:
                  shop:
                    url: https://git.example.test/acme/shop.git
                    credentials: "file:%s"
                """.formatted(Files.writeString(dir.resolve("hook"), "hook-secret-4Hs8wQ\n"), credentials);
        Map<String, String> env = Map.of("GH_FOR_TEST", "token-value-Kd93mZq1");
        QuorumConfig config = new ConfigLoader(env::get).parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");

        Redactor redactor = TestTargets.redactorFor(config, env);

        String log = "auth token-value-Kd93mZq1, hook hook-secret-4Hs8wQ, git ci-bot:remote-pass-7Qm2x9Lk, "
                + "password alone remote-pass-7Qm2x9Lk, discord discord-token-Zr81kQp2";
        assertThat(redactor.redact(log)).doesNotContain("token-value-Kd93mZq1", "hook-secret-4Hs8wQ", "remote-pass-7Qm2x9Lk",
                "discord-token-Zr81kQp2").contains("auth ", "hook ", "git ", "password alone ", "discord ");
    }
}
