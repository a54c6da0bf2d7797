package dev.quorum.evidence;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds report files in a workspace by globs relative to it ({@code target/surefire-reports/*.xml},
 * {@code **}{@code /build/test-results/**}{@code /*.xml}), with {@link java.nio.file.PathMatcher}
 * glob syntax, except that a leading {@code **}{@code /} also matches at the top, as in
 * {@code .gitignore}.
 *
 * <p>Never leaves the workspace: symbolic links are neither followed nor matched, and a glob
 * whose fixed directory part resolves outside the workspace finds nothing. {@code .git} is
 * skipped. Stateless and thread-safe.
 */
final class ReportFinder {

    /** More matches than this means the globs are wrong; reading them all would not help. */
    static final int MAX_REPORTS = 10_000;

    private ReportFinder() {
    }

    /** The matched files, sorted, and what went wrong on the way. */
    record Found(List<Path> files, List<String> problems) {
        Found {
            files = List.copyOf(files);
            problems = List.copyOf(problems);
        }
    }

    static Found find(Path workspace, List<String> globs) throws IOException {
        Path root = workspace.toRealPath();
        TreeSet<Path> files = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String glob : globs) {
            Path start = root.resolve(fixedDirectory(glob)).normalize();
            if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
                continue; // nothing there (yet), or a link we will not follow
            }
            if (!start.toRealPath().startsWith(root)) {
                problems.add("report glob " + glob + " leads outside the workspace");
                continue;
            }
            List<PathMatcher> matchers = matchers(glob);
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && matchesAny(matchers, root.relativize(file))) {
                        files.add(file);
                    }
                    return files.size() > MAX_REPORTS ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.add("cannot read " + root.relativize(file) + ": " + e.getClass().getSimpleName());
                    return FileVisitResult.CONTINUE;
                }
            });
            if (files.size() > MAX_REPORTS) {
                problems.add("more than " + MAX_REPORTS + " reports matched " + String.join(", ", globs));
                return new Found(List.copyOf(files).subList(0, MAX_REPORTS), problems);
            }
        }
        return new Found(List.copyOf(files), problems);
    }

    /** The leading directories of a glob that hold no glob syntax: where the walk can start. */
    static String fixedDirectory(String glob) {
        String[] segments = glob.split("/");
        StringBuilder fixed = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].matches(".*[*?\\[\\]{}\\\\].*")) {
                break;
            }
            fixed.append(segments[i]).append('/');
        }
        return fixed.toString();
    }

    private static List<PathMatcher> matchers(String glob) {
        List<PathMatcher> matchers = new ArrayList<>();
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        if (glob.startsWith("**/")) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
        }
        return matchers;
    }

    private static boolean matchesAny(List<PathMatcher> matchers, Path relative) {
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(relative)) {
                return true;
            }
        }
        return false;
    }
}
