package dev.quorum.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./quorum} launcher, run as a process on a copy of it with a PATH, JAVA_HOME and JDK
 * folders made for each test: fake JDKs are folders whose {@code bin/java} prints a version (and,
 * when run, what it was asked to run), beside this JVM's own JDK, which runs a real jar. Only the
 * few tools the scripts use are on PATH (no java, mvn or package manager unless a test puts one
 * there), so what the launcher finds is what the test made.
 */
class LauncherTest {
    private static final String NO_JDK = "Quorum needs a JDK 21 or newer; none found (";
    private static final Instant SOURCES_TIME = Instant.parse("2020-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    private Path root;
    private Path jdks;
    private Path tools;
    private Path mavenLog;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        root = Files.createDirectories(tmp.resolve("checkout with space"));
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Path.of("quorum"), root.resolve("quorum"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("scripts/pick-jdk.sh"), root.resolve("scripts/pick-jdk.sh"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(Files.createDirectories(root.resolve("src/main/java")).resolve("A.java"), "class A {}");
        Files.writeString(Files.createDirectories(root.resolve("config")).resolve("quorum.yaml"), "repos: {}");
        for (String p : List.of("pom.xml", "src/main/java/A.java", "src/main/java", "src/main", "config/quorum.yaml", "config")) {
            Files.setLastModifiedTime(root.resolve(p), FileTime.from(SOURCES_TIME));
        }
        jdks = Files.createDirectories(tmp.resolve("jdks"));
        tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : List.of("sh", "awk", "dirname", "find", "head", "readlink", "uname", "touch", "mkdir")) {
            Files.createSymbolicLink(tools.resolve(tool), hostTool(tool));
        }
        mavenLog = tmp.resolve("mvn.log");
    }

    /** The links go first: JUnit warns about every symbolic link it meets while deleting the folder. */
    @AfterEach
    void removeTheLinks() throws IOException {
        try (var all = Files.walk(tmp)) {
            for (Path p : all.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }

    // --- which JDK ---

    @Test
    void withJavaHomeUnsetAndAnOlderJavaOnPathItRunsTheJarOnAJdk21FromTheUsualFolders() throws Exception {
        Path old = fakeJdk("a-openjdk-17", "17.0.15", true);
        Path real = Files.createSymbolicLink(jdks.resolve("b-temurin"), Path.of(System.getProperty("java.home")));
        realJar();

        Run run = launch(Map.of(), path(old.resolve("bin")), "--version", "two words");

        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("java.home=" + real.toRealPath() + "\nJAVA_HOME=" + real
                + "\nfeature=" + Runtime.version().feature() + "\nargs=[--version][two words]\n");
    }

    @Test
    void javaHomeWinsWhenItIsAJdk21OrNewer() throws Exception {
        Path home = fakeJdk("jdk 21 with space", "21.0.2", true);
        Path onPath = fakeJdk("jdk-22", "22", true);
        fakeJdk("jdk-25", "25", true);
        freshJar();

        Run run = launch(Map.of("JAVA_HOME", home.toString()), path(onPath.resolve("bin")), "audit", "verify");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("java 21 ran [-jar][" + root.resolve("target/quorum.jar") + "][audit][verify]\n");
    }

    @Test
    void theJavaOnPathServesWhenJavaHomeIsOlder() throws Exception {
        Path home = fakeJdk("jdk-17", "17.0.15", true);
        Path onPath = fakeJdk("jdk-25", "25.0.3", true);
        Path linked = Files.createDirectories(tmp.resolve("usr-bin"));
        Files.createSymbolicLink(linked.resolve("java"), onPath.resolve("bin/java")); // as /usr/bin/java -> alternatives
        freshJar();

        Run run = launch(Map.of("JAVA_HOME", home.toString()), path(linked));

        assertThat(run.out()).isEqualTo("java 25 ran [-jar][" + root.resolve("target/quorum.jar") + "]\n");
    }

    @Test
    void aJreDoesNotCountAndAnEarlyAccessVersionDoes() throws Exception {
        Path jre = fakeJdk("jre-21", "21.0.2", false);
        fakeJdk("jdk-23", "23-ea", true);
        freshJar();

        Run run = launch(Map.of("JAVA_HOME", jre.toString()), path());

        assertThat(run.out()).isEqualTo("java 23 ran [-jar][" + root.resolve("target/quorum.jar") + "]\n");
    }

    // --- none found: one line, exit 1 ---

    @Test
    void withNoJdk21AnywhereItSaysWhatToInstallInOneLine() throws Exception {
        Path old = fakeJdk("java-17-openjdk-amd64", "17.0.15", true);
        fakeTool("apt-get", "exit 0");
        freshJar();

        Run run = launch(Map.of(), path(old.resolve("bin")), "--version");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(NO_JDK + "java on PATH is 17). Install one, e.g. apt-get install openjdk-21-jdk, "
                + "or set JAVA_HOME.\n");
    }

    @Test
    void theLineNamesWhatJavaHomeAndPathHoldAndWhereToGetAJdkWithoutAPackageManager() throws Exception {
        Path jre = fakeJdk("jre-21", "21.0.2", false);

        assertThat(launch(Map.of("JAVA_HOME", jre.toString()), path()).err()).isEqualTo(NO_JDK
                + "JAVA_HOME is 21 without javac (a JRE), no java on PATH). Install one, e.g. from https://adoptium.net, or set JAVA_HOME.\n");
        assertThat(launch(Map.of("JAVA_HOME", tmp.resolve("gone").toString()), path()).err()).isEqualTo(NO_JDK
                + "JAVA_HOME is not a JDK, no java on PATH). Install one, e.g. from https://adoptium.net, or set JAVA_HOME.\n");
        assertThat(launch(Map.of("JAVA_HOME", tmp.resolve("gone").toString()), path(), "test").exit()).isEqualTo(1);
        Path eight = fakeJdk("jdk-8", "1.8.0_402", true);
        assertThat(launch(Map.of(), path(eight.resolve("bin"))).err()).isEqualTo(NO_JDK
                + "java on PATH is 8). Install one, e.g. from https://adoptium.net, or set JAVA_HOME.\n");
    }

    @Test
    void aJavaThatPrintsNoVersionIsNoJdk() throws Exception {
        Path broken = Files.createDirectories(jdks.resolve("broken/bin"));
        executable(broken.resolve("java"), "echo 'Error: could not open lib/jvm.cfg' >&2\nexit 1");
        executable(broken.resolve("javac"), "exit 0");

        Run run = launch(Map.of("JAVA_HOME", broken.getParent().toString()), path());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith(NO_JDK + "JAVA_HOME is not a JDK, no java on PATH)");
    }

    // --- building the jar and the tests ---

    @Test
    void itBuildsTheJarWithTheSameJdkWhenTheJarIsMissingOrOlderThanTheSources() throws Exception {
        Path home = fakeJdk("jdk-21", "21.0.2", true);
        fakeMaven();
        Map<String, String> env = Map.of("JAVA_HOME", home.toString());

        Run first = launch(env, path());
        assertThat(first.err()).isEqualTo("Building target/quorum.jar (mvn -B -q package -DskipTests; the first build "
                + "fetches dependencies)...\n");
        assertThat(first.out()).isEqualTo("java 21 ran [-jar][" + root.resolve("target/quorum.jar") + "]\n");
        assertThat(mavenCalls()).containsExactly(root + " | " + home + " | MAVEN_OPTS= | [-B][-q][package][-DskipTests]");

        Run second = launch(env, path());
        assertThat(second.err()).isEmpty();
        assertThat(mavenCalls()).hasSize(1);

        Path source = root.resolve("src/main/java/A.java");
        Files.setLastModifiedTime(source, FileTime.from(SOURCES_TIME.plusSeconds(86_400))); // newer than pom.xml, not the jar
        launch(env, path());
        assertThat(mavenCalls()).hasSize(1);

        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
        launch(env, path());
        assertThat(mavenCalls()).hasSize(2);
    }

    @Test
    void mavenOnJdk23OrNewerIsAllowedGuavasUnsafeCallsSoItPrintsNoWarning() throws Exception {
        Path home = fakeJdk("jdk-25", "25.0.3", true);
        fakeMaven();

        launch(Map.of("JAVA_HOME", home.toString(), "MAVEN_OPTS", "-Xmx1g"), path());

        assertThat(mavenCalls()).containsExactly(root + " | " + home + " | MAVEN_OPTS=-Xmx1g "
                + "--sun-misc-unsafe-memory-access=allow | [-B][-q][package][-DskipTests]");
    }

    @Test
    void testRunsMavenVerifyInTheCheckoutWithMoreArgumentsPassedOn() throws Exception {
        Path home = fakeJdk("jdk-21", "21.0.2", true);
        fakeMaven();

        Run run = launch(Map.of("JAVA_HOME", home.toString()), path(), "test", "-Dtest=Foo Bar");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(mavenCalls()).containsExactly(root + " | " + home + " | MAVEN_OPTS= | [-B][verify][-Dtest=Foo Bar]");
        assertThat(root.resolve("target/quorum.jar")).doesNotExist();
    }

    @Test
    void withoutMavenItSaysSoInOneLineWhenItHasToBuild() throws Exception {
        Path home = fakeJdk("jdk-21", "21.0.2", true);
        fakeTool("apt-get", "exit 0");

        Run run = launch(Map.of("JAVA_HOME", home.toString()), path());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("Quorum is built with Maven, and there is no mvn on PATH. Install it, e.g. "
                + "apt-get install maven, then run this again.\n");

        freshJar(); // built already: Maven is not needed to start
        assertThat(launch(Map.of("JAVA_HOME", home.toString()), path()).exit()).isZero();
    }

    // --- the rig ---

    /** A JDK folder whose java answers {@code -version} with {@code version}, and otherwise prints its arguments. */
    private Path fakeJdk(String name, String version, boolean withJavac) throws IOException {
        Path home = jdks.resolve(name);
        Path bin = Files.createDirectories(home.resolve("bin"));
        String feature = version.startsWith("1.") ? version.split("\\.")[1] : version.split("[.-]")[0];
        executable(bin.resolve("java"), """
                if [ "$1" = -version ]; then
                  echo 'openjdk version "%s" 2024-01-16' >&2
                  echo 'OpenJDK Runtime Environment (build %s)' >&2
                  exit 0
                fi
                printf 'java %s ran '
                for a in "$@"; do printf '[%%s]' "$a"; done
                echo
                """.formatted(version, version, feature));
        if (withJavac) executable(bin.resolve("javac"), "exit 0");
        return home;
    }

    /** An mvn that records where, with which JDK and what it was asked, and "builds" the jar. */
    private void fakeMaven() throws IOException {
        fakeTool("mvn", """
                { printf '%%s | %%s | MAVEN_OPTS=%%s | ' "$PWD" "$JAVA_HOME" "${MAVEN_OPTS:-}"
                  for a in "$@"; do printf '[%%s]' "$a"; done
                  echo; } >> '%s'
                if [ "$3" = package ]; then mkdir -p target && touch target/quorum.jar; fi
                """.formatted(mavenLog));
    }

    private void fakeTool(String name, String body) throws IOException {
        executable(tools.resolve(name), body);
    }

    private List<String> mavenCalls() throws IOException {
        return Files.exists(mavenLog) ? Files.readAllLines(mavenLog) : List.of();
    }

    /** A jar newer than the sources, so the launcher does not build. */
    private void freshJar() throws IOException {
        Path jar = Files.createDirectories(root.resolve("target")).resolve("quorum.jar");
        Files.writeString(jar, "not run by fake JDKs");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    }

    /** A real runnable jar whose main is {@link JarMain}. */
    private void realJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JarMain.class.getName());
        String entry = JarMain.class.getName().replace('.', '/') + ".class";
        Path jar = Files.createDirectories(root.resolve("target")).resolve("quorum.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = JarMain.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /** The main of the real jar: where it runs, and what it was given. */
    public static final class JarMain {
        public static void main(String[] args) {
            StringBuilder given = new StringBuilder();
            for (String a : args) given.append('[').append(a).append(']');
            System.out.print("java.home=" + System.getProperty("java.home") + "\nJAVA_HOME=" + System.getenv("JAVA_HOME")
                    + "\nfeature=" + Runtime.version().feature() + "\nargs=" + given + "\n");
        }
    }

    private String path(Path... first) {
        List<String> parts = new ArrayList<>();
        for (Path p : first) parts.add(p.toString());
        parts.add(tools.toString());
        return String.join(":", parts);
    }

    private record Run(int exit, String out, String err) {}

    /** Runs {@code ./quorum args} with nothing in its environment but PATH, HOME, the JDK folders and {@code env}. */
    private Run launch(Map<String, String> env, String path, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("quorum").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        Map<String, String> e = pb.environment();
        e.clear();
        e.putAll(new HashMap<>(Map.of("PATH", path, "HOME", tmp.toString(), "QUORUM_JDK_DIRS", jdks.toString())));
        e.putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("./quorum " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Run(p.exitValue(), out, Files.readString(tmp.resolve("stderr")));
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path hostTool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        throw new IllegalStateException(name + " is not in /usr/bin, /bin or /usr/local/bin");
    }
}
