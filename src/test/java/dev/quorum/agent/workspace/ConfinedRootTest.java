package dev.quorum.agent.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfinedRootTest {

    @TempDir
    Path temp;

    private ConfinedRoot root() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Files.createDirectories(temp.resolve("outside"));
        Files.writeString(temp.resolve("outside/secret"), "s");
        Files.createDirectories(ws.resolve("src/main"));
        Files.writeString(ws.resolve("src/main/App.java"), "class App {}");
        if (Files.notExists(ws.resolve("out-link"))) {
            Files.createSymbolicLink(ws.resolve("out-link"), temp.resolve("outside"));
            Files.createSymbolicLink(ws.resolve("in-link"), ws.resolve("src"));
            Files.createSymbolicLink(ws.resolve("dangling"), temp.resolve("outside/none"));
        }
        return ConfinedRoot.of(ws, "the workspace");
    }

    static Stream<Arguments> refusedReads() {
        return Stream.of(
                Arguments.of("dot-dot escape", "../outside/secret"),
                Arguments.of("dot-dot after a real folder", "src/../../outside/secret"),
                Arguments.of("absolute path", "/etc/passwd"),
                Arguments.of("home path", "~/.ssh/id_rsa"),
                Arguments.of("windows drive", "C:\\Windows\\win.ini"),
                Arguments.of("symlink to outside", "out-link/secret"),
                Arguments.of("symlink itself", "out-link"),
                Arguments.of("dangling symlink", "dangling"),
                Arguments.of("NUL byte", "src\0/x"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("refusedReads")
    void readsThatLeaveTheRootAreRefused(String name, String path) throws IOException {
        ConfinedRoot root = root();
        assertThatThrownBy(() -> root.existing(path)).isInstanceOf(PathRefusedException.class);
    }

    @ParameterizedTest(name = "writing through {0} is refused")
    @MethodSource("refusedReads")
    void writesThatLeaveTheRootAreRefused(String name, String path) throws IOException {
        ConfinedRoot root = root();
        assertThatThrownBy(() -> root.forWriting(path)).isInstanceOf(PathRefusedException.class);
    }

    @Test
    void pathsInsideResolveToTheirRealPlaceEvenThroughAnInsideLink() throws Exception {
        ConfinedRoot root = root();
        assertThat(root.existing("in-link/main/App.java")).isEqualTo(root.root().resolve("src/main/App.java"));
        assertThat(root.existing("src/./main/../main/App.java")).isEqualTo(root.root().resolve("src/main/App.java"));
        assertThat(root.forWriting("new/dir/File.java")).isEqualTo(root.root().resolve("new/dir/File.java"));
        assertThat(root.display(root.root())).isEqualTo(".");
    }

    @Test
    void aMissingFileIsNotFoundRatherThanRefused() throws Exception {
        ConfinedRoot root = root();
        assertThatThrownBy(() -> root.existing("src/Nope.java")).isInstanceOf(NoSuchFileException.class);
    }

    // jqwik does not honour @TempDir, so the property keeps its own folder
    private Path propertyTemp;

    @BeforeProperty
    void makeTemp() throws IOException {
        propertyTemp = Files.createTempDirectory("confined");
        temp = propertyTemp;
    }

    @AfterProperty
    void removeTemp() throws IOException {
        try (Stream<Path> paths = Files.walk(propertyTemp)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 300)
    void whateverPathAModelSendsWritesStayInsideOrAreRefused(@ForAll("modelPaths") String path) throws IOException {
        ConfinedRoot root = root();
        try {
            Path target = root.forWriting(path);
            // Path.startsWith, not AssertJ's: the target need not exist yet
            assertThat(target.normalize().startsWith(root.root())).as(target.toString()).isTrue();
            assertThat(target.toString()).doesNotContain("outside");
        } catch (PathRefusedException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> modelPaths() {
        Arbitrary<String> segment = Arbitraries.of("..", ".", "src", "main", "out-link", "in-link", "dangling",
                "x.txt", "", "~", "/", ".git");
        return segment.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("/", parts));
    }
}
