package dev.quorum.insights;

import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.ConsoleConfig;
import dev.quorum.config.QuorumConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code console.roles}: read as written, and refused with one line naming key, value and problem. */
class ConsoleRolesConfigTest {
    private static final String BASE = "console: {demo: true, users: {alice: {}, bob: {}}, roles: %s}\npeople: {carol: [slack:UC]}\n";

    private static QuorumConfig parse(String roles) {
        return new ConfigLoader(k -> null).parse(new ByteArrayInputStream(BASE.formatted(roles).getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void managersAreIdentitiesOrPeople() {
        assertThat(parse("{managers: [console:alice, carol]}").console().roles())
                .containsEntry(ConsoleConfig.MANAGERS, List.of("console:alice", "carol"));
        assertThat(parse("{}").console().roles()).isEmpty();
    }

    @Test
    void anUnknownRoleOrMemberIsAConfigError() {
        assertThatThrownBy(() -> parse("{admins: [console:alice]}")).isInstanceOf(ConfigException.class)
                .hasMessage("config error: console.roles.admins = \"admins\": unknown console role; the roles are: managers");
        assertThatThrownBy(() -> parse("{managers: [console:zed]}")).isInstanceOf(ConfigException.class)
                .hasMessage("config error: console.roles.managers = \"console:zed\": no such user in console.users");
        assertThatThrownBy(() -> parse("{managers: [dave]}")).isInstanceOf(ConfigException.class)
                .hasMessage("config error: console.roles.managers = \"dave\": neither an identity (platform:id) nor a person in people");
    }
}
