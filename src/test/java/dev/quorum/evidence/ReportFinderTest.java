package dev.quorum.evidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFinderTest {

    @TempDir
    Path workspace;

    @TempDir
    Path outside;

    private Path file(String relative) throws IOException {
        Path path = workspace.resolve(relative);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, "<testsuite/>");
    }

    private List<String> found(String... globs) throws IOException {
        return ReportFinder.find(workspace, List.of(globs)).files().stream()
                .map(p -> workspace.relativize(p).toString()).toList();
    }

    @Test
    void findsFilesMatchingAGlobRelativeToTheWorkspace() throws IOException {
        file("target/surefire-reports/TEST-a.xml");
        file("target/surefire-reports/TEST-b.xml");
        file("target/surefire-reports/a.txt");
        file("target/surefire-reports/nested/TEST-c.xml");

        assertThat(found("target/surefire-reports/*.xml"))
                .containsExactly("target/surefire-reports/TEST-a.xml", "target/surefire-reports/TEST-b.xml");
    }

    @Test
    void aLeadingDoubleStarAlsoMatchesAtTheTopAsInGitignore() throws IOException {
        file("build/test-results/test/TEST-top.xml");
        file("app/build/test-results/test/TEST-app.xml");
        file("lib/core/build/test-results/test/TEST-core.xml");

        assertThat(found("**/build/test-results/**/*.xml")).containsExactly(
                "app/build/test-results/test/TEST-app.xml",
                "build/test-results/test/TEST-top.xml",
                "lib/core/build/test-results/test/TEST-core.xml");
    }

    @Test
    void severalGlobsFindEachFileOnce() throws IOException {
        file("target/surefire-reports/TEST-a.xml");
        file("target/failsafe-reports/TEST-b.xml");

        assertThat(found("target/surefire-reports/*.xml", "target/*-reports/*.xml", "**/*.xml"))
                .containsExactly("target/failsafe-reports/TEST-b.xml", "target/surefire-reports/TEST-a.xml");
    }

    @Test
    void neitherFollowsNorMatchesSymbolicLinks() throws IOException {
        Path secret = Files.writeString(outside.resolve("TEST-secret.xml"), "<testsuite/>");
        Files.createDirectories(workspace.resolve("target/surefire-reports"));
        Files.createSymbolicLink(workspace.resolve("target/surefire-reports/TEST-link.xml"), secret);
        Files.createSymbolicLink(workspace.resolve("target/linked-dir"), outside);
        file("target/surefire-reports/TEST-real.xml");

        assertThat(found("target/**/*.xml", "target/linked-dir/*.xml"))
                .containsExactly("target/surefire-reports/TEST-real.xml");
    }

    @Test
    void aFixedDirectoryThatLeadsOutsideThroughALinkFindsNothing() throws IOException {
        Files.writeString(outside.resolve("TEST-secret.xml"), "<testsuite/>");
        Files.createSymbolicLink(workspace.resolve("target"), outside);

        ReportFinder.Found found = ReportFinder.find(workspace, List.of("target/*.xml"));

        assertThat(found.files()).isEmpty();
    }

    @Test
    void aParentDirectoryLinkedOutsideIsRefusedAndSaidSo() throws IOException {
        Files.createDirectories(outside.resolve("reports"));
        Files.writeString(outside.resolve("reports/TEST-secret.xml"), "<testsuite/>");
        Files.createSymbolicLink(workspace.resolve("target"), outside);

        ReportFinder.Found found = ReportFinder.find(workspace, List.of("target/reports/*.xml"));

        assertThat(found.files()).isEmpty();
        assertThat(found.problems()).containsExactly("report glob target/reports/*.xml leads outside the workspace");
    }

    @Test
    void skipsTheGitDirectory() throws IOException {
        file(".git/reports/TEST-a.xml");
        file("reports/TEST-b.xml");

        assertThat(found("**/*.xml")).containsExactly("reports/TEST-b.xml");
    }

    @Test
    void theWalkStartsAtTheFixedPartOfTheGlob() {
        assertThat(ReportFinder.fixedDirectory("target/surefire-reports/*.xml")).isEqualTo("target/surefire-reports/");
        assertThat(ReportFinder.fixedDirectory("**/build/*.xml")).isEmpty();
        assertThat(ReportFinder.fixedDirectory("a/b{1,2}/c.xml")).isEqualTo("a/");
        assertThat(ReportFinder.fixedDirectory("report.xml")).isEmpty();
    }
}
